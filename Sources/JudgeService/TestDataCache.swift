#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import Metrics
import ServiceKit

/// Test files on local disk, named by their SHA-256 and shared by every problem and version that
/// uses them. Bounded in size: the least recently used unpinned files go first. A file is pinned
/// while a job uses it, so eviction never pulls a test from under a running submission.
actor TestDataCache {
    struct CacheError: Error, CustomStringConvertible {
        var description: String
    }

    private struct Entry {
        var size: Int
        var lastUse: UInt64
        var pins: Int
        var present: Bool
    }

    nonisolated let directory: String
    private let capacity: Int
    private let source: any TestDataSource
    private var entries: [String: Entry] = [:]
    private var bytes = 0
    private var useClock: UInt64 = 0
    private var downloads: [String: Task<Void, any Error>] = [:]
    /// Files fetched from Problems since start (a hit costs nothing and is not counted).
    private(set) var downloadCount = 0
    private let downloadCounter = Counter(label: "judge_testdata_downloads_total")
    private let downloadedBytes = Counter(label: "judge_testdata_downloaded_bytes_total")

    init(directory: String, capacityBytes: Int, source: any TestDataSource) throws {
        self.directory = directory
        self.capacity = capacityBytes
        self.source = source
        try FileSystem.makeDirectories(directory + "/.partial")
        // A crash mid-download leaves partial files; complete files survive restarts.
        for name in try FileSystem.list(directory + "/.partial") { unlink(directory + "/.partial/" + name) }
        for name in try FileSystem.list(directory) where Self.isHash(name) {
            guard let size = FileSystem.regularFileSize(directory + "/" + name) else { continue }
            self.useClock += 1
            self.entries[name] = Entry(size: size, lastUse: self.useClock, pins: 0, present: true)
            self.bytes += size
        }
    }

    /// Makes every file local (downloading what is missing, each file once even when several jobs
    /// ask at the same time) and pins them until `release`. Returns the paths in order.
    func acquire(_ files: [(sha256: String, size: Int64)]) async throws -> [String] {
        for file in files where !Self.isHash(file.sha256) {
            throw CacheError(description: "invalid test file hash \"\(file.sha256)\"")
        }
        for file in files { self.pin(file.sha256, size: Int(file.size)) }
        do {
            for file in files where self.entries[file.sha256]?.present != true {
                try await self.download(file.sha256, size: Int(file.size))
            }
        } catch {
            self.release(files.map(\.sha256))
            throw error
        }
        self.evict()
        return files.map { self.directory + "/" + $0.sha256 }
    }

    func release(_ hashes: [String]) {
        for hash in hashes {
            self.entries[hash]?.pins -= 1
            if let entry = self.entries[hash], entry.pins <= 0, !entry.present { self.entries[hash] = nil }
        }
        self.evict()
    }

    var usedBytes: Int { self.bytes }

    private func pin(_ hash: String, size: Int) {
        self.useClock += 1
        if var entry = self.entries[hash] {
            entry.pins += 1
            entry.lastUse = self.useClock
            self.entries[hash] = entry
        } else {
            self.entries[hash] = Entry(size: size, lastUse: self.useClock, pins: 1, present: false)
        }
    }

    private func download(_ hash: String, size: Int) async throws {
        if let running = self.downloads[hash] {
            try await running.value
            return
        }
        let (directory, source) = (self.directory, self.source)
        let task = Task { try await Self.fetch(hash, size: size, into: directory, from: source) }
        self.downloads[hash] = task
        defer { self.downloads[hash] = nil }
        try await task.value
        self.downloadCount += 1
        self.downloadCounter.increment()
        self.downloadedBytes.increment(by: size)
        self.entries[hash]?.present = true
        self.entries[hash]?.size = size
        self.bytes += size
    }

    /// Least recently used first, until the cache fits; pinned files stay even above capacity.
    private func evict() {
        guard self.bytes > self.capacity else { return }
        let victims = self.entries.filter { $0.value.present && $0.value.pins <= 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
        for (hash, entry) in victims {
            guard self.bytes > self.capacity else { return }
            unlink(self.directory + "/" + hash)
            self.entries[hash] = nil
            self.bytes -= entry.size
        }
    }

    /// Streams the file into .partial, checks its size and hash, then renames it into place
    /// (atomic: a reader never sees half a file).
    private static func fetch(_ hash: String, size: Int, into directory: String, from source: any TestDataSource) async throws {
        let partial = "\(directory)/.partial/\(hash).\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw CacheError(description: "cannot create \(partial): errno \(errno)") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        var hasher = SHA256()
        var offset: Int64 = 0
        while true {
            let (data, eof) = try await source.chunk(sha256: hash, offset: offset)
            guard offset + Int64(data.count) <= Int64(size) else {
                unlink(partial)
                throw CacheError(description: "test file \(hash) is larger than its announced \(size) bytes")
            }
            try FileSystem.writeAll(fd, data, path: partial)
            hasher.update(data)
            offset += Int64(data.count)
            if eof { break }
            if data.isEmpty {
                unlink(partial)
                throw CacheError(description: "test file \(hash): empty chunk before the end")
            }
        }
        close(fd)
        closed = true
        guard offset == Int64(size), Hex.encode(hasher.finalize()) == hash else {
            unlink(partial)
            throw CacheError(description: "test file \(hash) arrived corrupted (\(offset) of \(size) bytes, or a different hash)")
        }
        guard rename(partial, "\(directory)/\(hash)") == 0 else {
            unlink(partial)
            throw CacheError(description: "cannot move \(hash) into the cache: errno \(errno)")
        }
    }

    private static func isHash(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
