#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import NIOConcurrencyHelpers

/// Compiled programs on disk by key (sha256 of language, commands and source), bounded in bytes;
/// the least recently used go first. An entry is `<root>/<key>/prog` (the files mounted at
/// /prog) plus `<root>/<key>/output` (the compiler's diagnostics). Entries in use by a judging
/// are pinned and never evicted under it. Directory mtimes carry the LRU order across restarts.
final class CompileCache: Sendable {
    struct Entry: Sendable {
        var key: String
        var programDirectory: String
        var compileOutput: String
    }

    private struct Index {
        var entries: [String: (bytes: Int, lastUse: Int, pins: Int)] = [:]
        var totalBytes = 0
        var clock = 0
    }

    let root: String
    let maximumBytes: Int
    private let index: NIOLockedValueBox<Index>

    /// Blocking (scans the directory).
    init(root: String, maximumBytes: Int) throws {
        self.root = root
        self.maximumBytes = maximumBytes
        try FileSystem.makeDirectories(root)
        var index = Index()
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", root) }
        let names = FileSystem.entries(of: fd)
        close(fd)
        // Oldest first, so that the clock order matches the mtimes.
        let found = names.map { ($0, FileSystem.modificationTime(root + "/" + $0)) }.sorted { $0.1 < $1.1 }
        for (name, _) in found {
            if name.hasPrefix(".") {
                FileSystem.removeTree(root + "/" + name)  // a staging directory of a crashed judge
                continue
            }
            let bytes = FileSystem.treeSize(root + "/" + name)
            index.clock += 1
            index.entries[name] = (bytes, index.clock, 0)
            index.totalBytes += bytes
        }
        self.index = NIOLockedValueBox(index)
    }

    var totalBytes: Int { self.index.withLockedValue { $0.totalBytes } }

    /// A pinned entry, or nil; `release` it when done.
    func lookup(_ key: String) -> Entry? {
        let found = self.index.withLockedValue { index -> Bool in
            guard var entry = index.entries[key] else { return false }
            index.clock += 1
            entry.lastUse = index.clock
            entry.pins += 1
            index.entries[key] = entry
            return true
        }
        guard found else { return nil }
        let directory = self.root + "/" + key
        FileSystem.touch(directory)
        let output = (try? FileSystem.readFile(directory + "/output")).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
        return Entry(key: key, programDirectory: directory + "/prog", compileOutput: output ?? "")
    }

    /// A directory to build an entry in: fill `<staging>/prog` and call `insert`.
    func makeStaging() throws -> String {
        let staging = self.root + "/.staging-" + FileSystem.randomName()
        try FileSystem.makeDirectory(staging)
        try FileSystem.makeDirectory(staging + "/prog")
        return staging
    }

    /// Moves a staging directory into the cache and returns the pinned entry; evicts the least
    /// recently used unpinned entries beyond the bound.
    func insert(_ key: String, staging: String, compileOutput: String) throws -> Entry {
        try FileSystem.writeFile(staging + "/output", Array(compileOutput.utf8))
        let bytes = FileSystem.treeSize(staging)
        let directory = self.root + "/" + key
        if rename(staging, directory) != 0 {
            // The same program compiled concurrently by another judging: keep theirs.
            FileSystem.removeTree(staging)
            if let entry = self.lookup(key) { return entry }
            throw FileSystemError("rename", directory)
        }
        let victims = self.index.withLockedValue { index -> [String] in
            index.clock += 1
            if let old = index.entries[key] { index.totalBytes -= old.bytes }
            index.entries[key] = (bytes, index.clock, 1)
            index.totalBytes += bytes
            var victims: [String] = []
            let candidates = index.entries.filter { $0.value.pins == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
            for (name, entry) in candidates where index.totalBytes > self.maximumBytes {
                index.entries[name] = nil
                index.totalBytes -= entry.bytes
                victims.append(name)
            }
            return victims
        }
        for victim in victims {
            // Renamed first so that a concurrent lookup never sees half an entry.
            let doomed = self.root + "/.evicted-" + FileSystem.randomName()
            if rename(self.root + "/" + victim, doomed) == 0 { FileSystem.removeTree(doomed) }
        }
        return Entry(key: key, programDirectory: directory + "/prog", compileOutput: compileOutput)
    }

    func release(_ entry: Entry) {
        self.index.withLockedValue { index in
            if var found = index.entries[entry.key] {
                found.pins = max(0, found.pins - 1)
                index.entries[entry.key] = found
            }
        }
    }
}
