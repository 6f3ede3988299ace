import JudgeCore
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The engine on the real sandbox (bubblewrap, cgroups, the slot helper): what JudgeService runs.
@Suite("Judging in the real sandbox", .serialized)
struct JudgingInSandboxTests {
    static let aPlusB = """
        #include <stdio.h>
        int main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); return 0; }
        """

    @Test func aPlusBInCIsAcceptedWithCgroupMeasurements() async throws {
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: Self.aPlusB, timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .accepted, "\(result)")
            #expect(result.tests.count == 2)
            #expect(result.tests.allSatisfy { $0.memoryKilobytes > 0 }, "peak memory comes from the cgroup")
        }
    }

    @Test func bigAllocationIsMLE() async throws {
        let hog = """
            #include <stdlib.h>
            #include <string.h>
            int main(void) { for (int i = 0; i < 64; i++) { char *p = malloc(16 << 20); if (!p) return 3; memset(p, 1, 16 << 20); } return 0; }
            """
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: hog, timeLimitMilliseconds: 2000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .memoryLimitExceeded, "\(result)")
        }
    }

    @Test func exit137IsARuntimeErrorNotAKill() async throws {
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: "#include <stdlib.h>\nint main(void) { exit(137); }", timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .runtimeError)
            #expect(result.tests.first?.exitCode == 137)
            #expect(result.tests.first?.signal == nil)
        }
    }

    func withEngine(_ body: (JudgeEngine, [TestFile]) async throws -> Void) async throws {
        var template = Array("/tmp/judging-in-sandbox.XXXXXX".utf8CString)
        let root = String(cString: try #require(mkdtemp(&template)))
        chmod(root, 0o755)
        let sandbox = try BubblewrapSandbox.start(SandboxConfiguration(
            slots: 2, uidBase: 61_000, gidBase: 61_000, cgroupParent: "algosports-test/\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
            workRoot: root + "/sandbox"
        ))
        do {
            let engine = try await JudgeEngine(
                configuration: JudgeEngineConfiguration(cacheDirectory: root + "/cache", workDirectory: root + "/work", languages: [DefaultLanguages.c]),
                sandbox: sandbox, logger: Logger(label: "judging-in-sandbox")
            )
            var tests: [TestFile] = []
            for (index, (input, answer)) in [("1 2\n", "3\n"), ("40 2\n", "42\n")].enumerated() {
                let inputPath = "\(root)/\(index).in", answerPath = "\(root)/\(index).ans"
                try write(inputPath, input)
                try write(answerPath, answer)
                tests.append(TestFile(name: String(index + 1), inputPath: inputPath, answerPath: answerPath))
            }
            try await body(engine, tests)
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
    }

    func write(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
