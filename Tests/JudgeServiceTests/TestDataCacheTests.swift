#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import NIOConcurrencyHelpers
import ServiceKit
import Testing

@testable import JudgeService

/// The cache against files on a real disk; the source is in memory (Problems' side is tested in
/// ProblemsTests, the whole path in the end-to-end tests).
@Suite struct TestDataCacheTests {
    @Test func downloadsOnceThenServesFromDisk() async throws {
        let source = MemorySource(files: ["hello\n", "world\n"], chunkSize: 3)
        let cache = try TestDataCache(directory: try temporaryDirectory(), capacityBytes: 1 << 20, source: source)
        let files = source.descriptors
        let paths = try await cache.acquire(files)
        #expect(try contents(paths[0]) == "hello\n")
        #expect(try contents(paths[1]) == "world\n")
        await cache.release(files.map(\.sha256))
        _ = try await cache.acquire(files)
        #expect(await cache.downloadCount == 2)
        #expect(source.requests.withLockedValue { $0 } == 4)  // 2 files of 6 bytes, 2 chunks of 3 each
    }

    @Test func concurrentJobsDownloadAFileOnce() async throws {
        let source = MemorySource(files: [String(repeating: "x", count: 10_000)], chunkSize: 100)
        let cache = try TestDataCache(directory: try temporaryDirectory(), capacityBytes: 1 << 20, source: source)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await cache.acquire(source.descriptors) } }
            try await group.waitForAll()
        }
        #expect(await cache.downloadCount == 1)
    }

    @Test func rejectsAFileWhoseBytesDoNotMatchItsHash() async throws {
        let source = MemorySource(files: ["expected"], chunkSize: 4)
        source.corrupt.withLockedValue { $0 = true }
        let directory = try temporaryDirectory()
        let cache = try TestDataCache(directory: directory, capacityBytes: 1 << 20, source: source)
        await #expect(throws: TestDataCache.CacheError.self) { try await cache.acquire(source.descriptors) }
        #expect(try FileSystem.list(directory).filter { $0 != ".partial" }.isEmpty)
        #expect(try FileSystem.list(directory + "/.partial").isEmpty)
        #expect(await cache.usedBytes == 0)
    }

    @Test func rejectsHashesThatAreNotHashes() async throws {
        let cache = try TestDataCache(directory: try temporaryDirectory(), capacityBytes: 1 << 20, source: MemorySource(files: [], chunkSize: 1))
        await #expect(throws: TestDataCache.CacheError.self) { try await cache.acquire([("../../etc/passwd", 1)]) }
    }

    @Test func evictsTheLeastRecentlyUsedButNeverAPinnedFile() async throws {
        let body = String(repeating: "a", count: 400)
        let source = MemorySource(files: [body + "1", body + "2", body + "3"], chunkSize: 1000)
        let cache = try TestDataCache(directory: try temporaryDirectory(), capacityBytes: 1000, source: source)
        let (one, two, three) = (source.descriptors[0], source.descriptors[1], source.descriptors[2])
        let pinned = try await cache.acquire([one])
        _ = try await cache.acquire([two])
        await cache.release([two.sha256])
        _ = try await cache.acquire([three])  // 1203 bytes > 1000: the unpinned, older `two` goes
        #expect(FileSystem.regularFileSize(pinned[0]) == 401)
        #expect(await cache.usedBytes == 802)
        _ = try await cache.acquire([two])
        #expect(await cache.downloadCount == 4)
    }

    @Test func keepsCompleteFilesAcrossRestartsAndDropsPartialOnes() async throws {
        let source = MemorySource(files: ["kept"], chunkSize: 10)
        let directory = try temporaryDirectory()
        let first = try TestDataCache(directory: directory, capacityBytes: 1 << 20, source: source)
        _ = try await first.acquire(source.descriptors)
        let leftover = open(directory + "/.partial/half", O_CREAT | O_WRONLY, 0o644)
        close(leftover)
        let second = try TestDataCache(directory: directory, capacityBytes: 1 << 20, source: source)
        _ = try await second.acquire(source.descriptors)
        #expect(await second.downloadCount == 0)
        #expect(try FileSystem.list(directory + "/.partial").isEmpty)
    }
}

/// Serves files from memory in chunks, counting requests.
final class MemorySource: TestDataSource, Sendable {
    let files: [String: [UInt8]]
    let descriptors: [(sha256: String, size: Int64)]
    let chunkSize: Int
    let requests = NIOLockedValueBox(0)
    let corrupt = NIOLockedValueBox(false)

    init(files: [String], chunkSize: Int) {
        let bytes = files.map { Array($0.utf8) }
        self.descriptors = bytes.map { (SHA256.hex($0), Int64($0.count)) }
        self.files = Dictionary(uniqueKeysWithValues: zip(self.descriptors.map(\.sha256), bytes))
        self.chunkSize = chunkSize
    }

    func chunk(sha256: String, offset: Int64) async throws -> (data: [UInt8], eof: Bool) {
        self.requests.withLockedValue { $0 += 1 }
        guard var file = self.files[sha256] else { throw TestDataCache.CacheError(description: "no such file") }
        if self.corrupt.withLockedValue({ $0 }) { file[file.count - 1] ^= 1 }
        let end = min(file.count, Int(offset) + self.chunkSize)
        return (Array(file[Int(offset)..<end]), end == file.count)
    }
}

func temporaryDirectory() throws -> String {
    var template = Array("/tmp/judge-cache-test.XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw TestDataCache.CacheError(description: "mkdtemp failed") }
    return String(cString: path)
}

func contents(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TestDataCache.CacheError(description: "cannot open \(path)") }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let count = read(fd, &buffer, buffer.count)
    return String(decoding: buffer[0..<max(0, count)], as: UTF8.self)
}
