import Glibc
import Testing

@testable import JudgeCore

/// Built-in checkers on bytes in memory: no files, no processes.
@Suite struct EngineCheckerUnitTests {
    func exact(_ output: String, _ answer: String) throws -> CheckerResult {
        try ExactChecker().check(output: { ByteReader(bytes: Array(output.utf8)) }, answer: { ByteReader(bytes: Array(answer.utf8)) })
    }

    func tokens(_ output: String, _ answer: String) throws -> CheckerResult {
        try TokensChecker().check(output: ByteReader(bytes: Array(output.utf8)), answer: ByteReader(bytes: Array(answer.utf8)))
    }

    func float(_ output: String, _ answer: String, absolute: Double = 1e-6, relative: Double = 0) throws -> CheckerResult {
        try FloatChecker(absoluteTolerance: absolute, relativeTolerance: relative)
            .check(output: ByteReader(bytes: Array(output.utf8)), answer: ByteReader(bytes: Array(answer.utf8)))
    }

    @Test func exactIgnoresLineEndingsAndTrailingWhitespace() throws {
        #expect(try self.exact("1 2\r\n3  \n\n\n", "1 2\n3").verdict == .accepted)
        #expect(try self.exact("a\nb", "a\nb\n").verdict == .accepted)
        #expect(try self.exact("", "\n\n").verdict == .accepted)
    }

    @Test func exactSaysPEWhenOnlyTheLayoutDiffers() throws {
        let result = try self.exact("1\n2 3\n", "1 2\n3\n")
        #expect(result.verdict == .presentationError)
        #expect(result.message == "line 1: expected '1 2', found '1'")
        #expect(try self.exact("  1 2\n", "1 2\n").verdict == .presentationError)
    }

    @Test func exactSaysWAWhenTokensDiffer() throws {
        let result = try self.exact("1 2\n4\n", "1 2\n3\n")
        #expect(result.verdict == .wrongAnswer)
        #expect(result.message == "line 2: expected '3', found '4'")
        #expect(try self.exact("1 2\n3\nextra\n", "1 2\n3\n").verdict == .wrongAnswer)
    }

    @Test func tokensIgnoreWhitespaceButNotMissingOrExtraOutput() throws {
        #expect(try self.tokens("  1\t2\n\n3 ", "1 2 3\n").verdict == .accepted)
        let missing = try self.tokens("1 2", "1 2\n3\n")
        #expect(missing.verdict == .wrongAnswer)
        #expect(missing.message == "line 2: expected '3', found end of output")
        let extra = try self.tokens("1 2 3\n4", "1 2 3\n")
        #expect(extra.message == "line 2: expected end of output, found '4'")
        #expect(try self.tokens("", "").verdict == .accepted)
    }

    @Test func tokensQuoteLongTokensTruncated() throws {
        let long = String(repeating: "x", count: 10_000)
        let result = try self.tokens(long, "y")
        #expect(result.message.count < 200)
    }

    @Test func floatsPassWithinAbsoluteOrRelativeTolerance() throws {
        #expect(try self.float("0.3333333", "0.333333333").verdict == .accepted)
        #expect(try self.float("1000001", "1000000", absolute: 1e-9, relative: 1e-5).verdict == .accepted)
        #expect(try self.float("1.5e3", "1500").verdict == .accepted)
        let wrong = try self.float("1\n2\n0.34\n", "1\n2\n0.333\n", absolute: 1e-3)
        #expect(wrong.verdict == .wrongAnswer)
        #expect(wrong.message == "line 3: expected 0.333, found 0.34")
    }

    @Test func floatsHandleNaNInfinityAndWords() throws {
        #expect(try self.float("nan", "NaN").verdict == .accepted)
        #expect(try self.float("1", "nan").verdict == .wrongAnswer)
        #expect(try self.float("inf", "Infinity").verdict == .accepted)
        #expect(try self.float("-inf", "inf").verdict == .wrongAnswer)
        #expect(try self.float("1e308", "inf").verdict == .wrongAnswer)
        #expect(try self.float("YES 0.5", "YES 0.5000001").verdict == .accepted)
        #expect(try self.float("yes 0.5", "YES 0.5").verdict == .wrongAnswer)
        #expect(try self.float("abc", "0.5").verdict == .wrongAnswer)
        #expect(try self.float("0x1p-1", "0.5").verdict == .wrongAnswer)
    }

    @Test func numbersAreDecimalOnly() {
        #expect(FloatChecker.number(Array("-1.25e-3".utf8)) == -0.00125)
        #expect(FloatChecker.number(Array(".5".utf8)) == 0.5)
        #expect(FloatChecker.number(Array("5.".utf8)) == 5)
        #expect(FloatChecker.number(Array("e5".utf8)) == nil)
        #expect(FloatChecker.number(Array("1e".utf8)) == nil)
        #expect(FloatChecker.number(Array("1_000".utf8)) == nil)
        #expect(FloatChecker.number(Array("-".utf8)) == nil)
    }

    @Test func testlibExitCodesMapToVerdicts() {
        func outcome(_ code: Int32, stderr: String = "", stdout: String = "") -> SandboxOutcome {
            SandboxOutcome(termination: .exited(code), cpuMilliseconds: 1, wallMilliseconds: 1, peakMemoryBytes: 0, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8))
        }
        #expect(TestlibResult.result(of: outcome(0, stderr: "ok 3 numbers\nmore"), role: "checker") == .accepted("ok 3 numbers"))
        #expect(TestlibResult.result(of: outcome(1, stderr: "wrong answer 1st numbers differ"), role: "checker").verdict == .wrongAnswer)
        #expect(TestlibResult.result(of: outcome(2), role: "checker").verdict == .presentationError)
        #expect(TestlibResult.result(of: outcome(3, stderr: "FAIL answer is bad"), role: "checker").verdict == .systemError)
        #expect(TestlibResult.result(of: outcome(4), role: "checker").verdict == .systemError)
        let partial = TestlibResult.result(of: outcome(7, stderr: "points 0.25 almost"), role: "checker")
        #expect(partial.verdict == .wrongAnswer && partial.fraction == 0.25 && partial.message == "points 0.25 almost")
        #expect(TestlibResult.result(of: outcome(7, stdout: "0.5\n"), role: "checker").fraction == 0.5)
        #expect(TestlibResult.result(of: outcome(7, stderr: "points 1"), role: "checker").verdict == .accepted)
        #expect(TestlibResult.result(of: outcome(7, stderr: "points 3"), role: "checker").fraction == 1)
        #expect(TestlibResult.result(of: outcome(7, stderr: "no score"), role: "checker").verdict == .systemError)
        var killed = outcome(0)
        killed.termination = .signaled(9)
        #expect(TestlibResult.result(of: killed, role: "checker").verdict == .systemError)
        var broken = outcome(0)
        broken.termination = .signaled(SIGPIPE)
        #expect(TestlibResult.result(of: broken, role: "interactor").verdict == .wrongAnswer)
        var slow = outcome(0)
        slow.wallLimitHit = true
        #expect(TestlibResult.result(of: slow, role: "checker").verdict == .systemError)
    }
}
