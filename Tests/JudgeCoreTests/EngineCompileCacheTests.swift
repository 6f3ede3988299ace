import Testing

@testable import JudgeCore

/// Compiling once: the second identical submission is not compiled again; the C++ header is
/// precompiled and really used.
@Suite struct EngineCompileCacheTests {
    @Test func identicalSubmissionsCompileOnce() async throws {
        // A fresh comment makes this source new to the cache, even across test runs.
        let marker = "/* cache test \(FileSystem.randomName()) */"
        let source = marker + "\n" + EngineLanguageTests.aPlusB["c"]!
        let first = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB))
        #expect(first.verdict == .accepted)
        #expect(EngineFixture.runner.compileCount(of: marker) == 1)
        let second = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB))
        #expect(second.verdict == .accepted)
        #expect(EngineFixture.runner.compileCount(of: marker) == 1)
        // A different wrapper is a different program.
        let third = try await EngineFixture.judge("c", source, wrapper: "/* other */", tests: try TestData.make(TestData.aPlusB))
        #expect(third.verdict == .accepted)
        #expect(EngineFixture.runner.compileCount(of: marker) == 2)
        #expect(try await EngineFixture.engine().compileCacheBytes > 0)
    }

    @Test func cppUsesThePrecompiledHeader() async throws {
        let engine = try await EngineFixture.engine()
        let directory = try #require(await engine.precompiledHeaderDirectory(language: "cpp"))
        #expect(FileSystem.exists(directory + "/bits/stdc++.h.gch"))
        // Verified with gcc -H when built; C has none.
        #expect(await engine.precompiledHeaderDirectory(language: "c") == nil)
    }
}
