import Glibc
import Testing

@testable import JudgeCore

/// Failures of running programs: time, crashes, output; real programs through UnconfinedRunner.
@Suite struct EngineRuntimeTests {
    @Test func endlessLoopIsTLE() async throws {
        let source = "int main(void) { volatile unsigned long x = 0; for (;;) x++; }"
        let result = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB), timeLimit: 500)
        #expect(result.verdict == .timeLimitExceeded)
        #expect(result.tests.map(\.verdict) == [.timeLimitExceeded, .skipped, .skipped])
        #expect(result.tests[0].cpuTimeMilliseconds > 500)
    }

    @Test func sleepingForeverIsTLEByTheWallClock() async throws {
        let result = try await EngineFixture.judge("python", "import time\ntime.sleep(60)\n", tests: try TestData.make([("1\n", "1\n")]), timeLimit: 300)
        #expect(result.verdict == .timeLimitExceeded)
        #expect(result.tests[0].wallTimeMilliseconds >= 1600)
        #expect(result.tests[0].cpuTimeMilliseconds < 300)
    }

    @Test func segfaultIsREWithTheSignal() async throws {
        let source = "int main(void) { volatile int *p = 0; *p = 1; return 0; }"
        let result = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .runtimeError)
        #expect(result.tests[0].signal == SIGSEGV)
    }

    @Test func exitCodeIsREWithTheCode() async throws {
        let result = try await EngineFixture.judge("c", "int main(void) { return 137; }", tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .runtimeError)
        #expect(result.tests[0].exitCode == 137 && result.tests[0].signal == nil)
    }

    @Test func uncaughtPythonExceptionIsRE() async throws {
        let result = try await EngineFixture.judge("python", "raise ValueError('boom')\n", tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .runtimeError)
        #expect(result.tests[0].exitCode == 1 && result.tests[0].signal == nil)
    }

    @Test func uncaughtJavaExceptionIsRE() async throws {
        let source = """
        public class Main { public static void main(String[] args) { throw new IllegalStateException("boom"); } }
        """
        let result = try await EngineFixture.judge("java", source, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .runtimeError)
        #expect(result.tests[0].exitCode == 1)
    }

    @Test func hugeOutputIsOLE() async throws {
        let source = """
        #include <stdio.h>
        int main(void) { for (;;) fputs("0123456789012345678901234567890123456789012345678901234567890123\\n", stdout); }
        """
        let result = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .outputLimitExceeded)
        #expect(result.tests[0].verdict == .outputLimitExceeded)
    }

    @Test func missingTestFilesAreASystemError() async throws {
        var tests = try TestData.make(TestData.aPlusB)
        tests[1].answerPath = "/nonexistent/2.ans"
        let result = try await EngineFixture.judge("python", "a, b = map(int, input().split())\nprint(a + b)\n", tests: tests)
        #expect(result.verdict == .systemError)
        #expect(result.tests.map(\.verdict) == [.accepted, .systemError, .skipped])
    }
}
