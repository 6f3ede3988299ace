import Glibc
import Testing

@testable import JudgeCore

/// The on-disk compile cache: keys, LRU eviction by size, pins, restarts.
@Suite struct EngineCacheUnitTests {
    func freshRoot() -> String {
        EngineFixture.root + "/cache-unit-" + FileSystem.randomName()
    }

    func insert(_ cache: CompileCache, _ key: String, bytes: Int) throws -> CompileCache.Entry {
        let staging = try cache.makeStaging()
        try FileSystem.writeFile(staging + "/prog/main", [UInt8](repeating: 7, count: bytes))
        return try cache.insert(key, staging: staging, compileOutput: "warning: \(key)")
    }

    @Test func keysDependOnLanguageCommandsAndSource() {
        let c = DefaultLanguages.c
        var optimised = c
        optimised.compile = ["/usr/bin/gcc", "-O3", "-o", "main", "main.c"]
        let key = Compiler.key(c, version: "gcc 12", source: "int main(){}")
        #expect(key.count == 64)
        #expect(key == Compiler.key(c, version: "gcc 12", source: "int main(){}"))
        #expect(key != Compiler.key(c, version: "gcc 12", source: "int main(){ }"))
        #expect(key != Compiler.key(c, version: "gcc 13", source: "int main(){}"))
        #expect(key != Compiler.key(optimised, version: "gcc 12", source: "int main(){}"))
        #expect(key != Compiler.key(DefaultLanguages.cpp, version: "gcc 12", source: "int main(){}"))
    }

    @Test func leastRecentlyUsedGoFirstAndPinnedStay() throws {
        let root = self.freshRoot()
        defer { FileSystem.removeTree(root) }
        let cache = try CompileCache(root: root, maximumBytes: 25_000)
        let a = try self.insert(cache, "a", bytes: 10_000)
        let b = try self.insert(cache, "b", bytes: 10_000)
        cache.release(a)
        cache.release(b)
        // "a" used again: "b" is now the oldest.
        let again = try #require(cache.lookup("a"))
        #expect(again.compileOutput == "warning: a")
        cache.release(again)
        let c = try self.insert(cache, "c", bytes: 10_000)
        #expect(cache.lookup("b") == nil)
        #expect(!FileSystem.exists(root + "/b"))
        #expect(FileSystem.exists(root + "/a/prog/main"))
        #expect(cache.totalBytes < 25_000)

        // A pinned entry survives pressure; it goes once released and something else comes in.
        let d = try self.insert(cache, "d", bytes: 20_000)
        #expect(cache.lookup("c") != nil)  // pinned twice now (insert and lookup)
        #expect(cache.lookup("d") != nil)
        cache.release(c)
        cache.release(c)
        cache.release(d)
        cache.release(d)
        _ = try self.insert(cache, "e", bytes: 1_000)
        #expect(cache.totalBytes <= 25_000)
    }

    @Test func aRestartKeepsEntriesAndDropsStaging() throws {
        let root = self.freshRoot()
        defer { FileSystem.removeTree(root) }
        let cache = try CompileCache(root: root, maximumBytes: 1 << 20)
        let entry = try self.insert(cache, "k", bytes: 100)
        cache.release(entry)
        _ = try cache.makeStaging()
        let reopened = try CompileCache(root: root, maximumBytes: 1 << 20)
        let found = try #require(reopened.lookup("k"))
        #expect(try FileSystem.readFile(found.programDirectory + "/main")?.count == 100)
        #expect(FileSystem.entries(of: open(root, O_RDONLY | O_DIRECTORY)).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func boxFilesNeverFollowLinks() throws {
        let box = self.freshRoot()
        try FileSystem.makeDirectories(box)
        defer { FileSystem.removeTree(box) }
        try FileSystem.writeFile(box + "/A.class", [1, 2, 3])
        symlink("/etc/passwd", box + "/B.class")
        symlink("/etc/passwd", box + "/main")
        mkfifo(box + "/C.class", 0o644)
        let files = try BoxDirectory(box)
        #expect(files.names(matching: "*.class") == ["A.class"])
        #expect(try files.read("main", limit: 100) == nil)
        #expect(try files.read("A.class", limit: 2) == [1, 2])
        let target = box + "-out"
        try FileSystem.makeDirectories(target)
        defer { FileSystem.removeTree(target) }
        #expect(try files.copy(["*.class", "main"], to: target, limit: 100) == ["main"])
        #expect(FileSystem.exists(target + "/A.class") && !FileSystem.exists(target + "/B.class"))
    }
}
