import Glibc
import Testing

@testable import JudgeCore

/// SandboxOutcome to verdict, without processes (MLE needs the real sandbox's cgroup; here it is
/// a made-up outcome).
@Suite struct EngineVerdictMappingTests {
    func outcome(_ termination: SandboxOutcome.Termination = .exited(0), cpu: Int = 10) -> SandboxOutcome {
        SandboxOutcome(termination: termination, cpuMilliseconds: cpu, wallMilliseconds: cpu, peakMemoryBytes: 1 << 20)
    }

    @Test func cleanExitLeavesItToTheChecker() {
        #expect(VerdictMapping.verdict(self.outcome(), cpuLimitMilliseconds: 1000) == nil)
    }

    @Test func limitsAndFailuresMapInPrecedenceOrder() {
        var memory = self.outcome(.signaled(SIGKILL))
        memory.memoryLimitHit = true
        memory.cpuLimitHit = true
        #expect(VerdictMapping.verdict(memory, cpuLimitMilliseconds: 1000) == .memoryLimitExceeded)

        var security = memory
        security.securityViolation = true
        #expect(VerdictMapping.verdict(security, cpuLimitMilliseconds: 1000) == .securityViolation)

        var wall = self.outcome(.signaled(SIGKILL))
        wall.wallLimitHit = true
        #expect(VerdictMapping.verdict(wall, cpuLimitMilliseconds: 1000) == .timeLimitExceeded)
        #expect(VerdictMapping.verdict(self.outcome(cpu: 1001), cpuLimitMilliseconds: 1000) == .timeLimitExceeded)

        var output = self.outcome(.signaled(SIGXFSZ))
        output.outputLimitHit = true
        #expect(VerdictMapping.verdict(output, cpuLimitMilliseconds: 1000) == .outputLimitExceeded)

        #expect(VerdictMapping.verdict(self.outcome(.signaled(SIGSEGV)), cpuLimitMilliseconds: 1000) == .runtimeError)
        #expect(VerdictMapping.verdict(self.outcome(.exited(137)), cpuLimitMilliseconds: 1000) == .runtimeError)
    }

    @Test func outcomesKeepExitCodesSignalsAndMeasurements() {
        let test = TestFile(name: "3", group: "g", inputPath: "/x", answerPath: "/y")
        let signaled = VerdictMapping.outcome(of: test, self.outcome(.signaled(SIGSEGV), cpu: 42), verdict: .runtimeError)
        #expect(signaled.signal == SIGSEGV && signaled.cpuTimeMilliseconds == 42 && signaled.memoryKilobytes == 1024 && signaled.group == "g")
        let exited = VerdictMapping.outcome(of: test, self.outcome(.exited(3)), verdict: .runtimeError)
        #expect(exited.exitCode == 3 && exited.signal == nil)
    }

    @Test func memoryLimitIsMLEOfTheTest() {
        var memory = self.outcome(.signaled(SIGKILL), cpu: 120)
        memory.memoryLimitHit = true
        memory.peakMemoryBytes = 256 << 20
        let test = TestFile(name: "1", inputPath: "/x", answerPath: "/y")
        let verdict = VerdictMapping.verdict(memory, cpuLimitMilliseconds: 1000)
        let outcome = VerdictMapping.outcome(of: test, memory, verdict: verdict!)
        #expect(outcome.verdict == .memoryLimitExceeded && outcome.memoryKilobytes == 256 * 1024)
    }

    @Test func interactiveSolutionFailuresTakePrecedenceByKind() {
        let wrong = CheckerResult.wrong("wrong answer: too many guesses")
        var tle = self.outcome(.signaled(SIGKILL))
        tle.wallLimitHit = true
        #expect(TestRunner.interactiveSolutionVerdict(solution: tle, result: wrong, cpuLimitMilliseconds: 1000) == .timeLimitExceeded)
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(.signaled(SIGSEGV)), result: wrong, cpuLimitMilliseconds: 1000) == .runtimeError)
        // Reactions to the interactor quitting yield to its verdict.
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(.signaled(SIGPIPE)), result: wrong, cpuLimitMilliseconds: 1000) == nil)
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(.exited(1)), result: wrong, cpuLimitMilliseconds: 1000) == nil)
        // After the interactor's AC, a failing solution still fails.
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(.exited(1)), result: .accepted(), cpuLimitMilliseconds: 1000) == .runtimeError)
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(), result: wrong, cpuLimitMilliseconds: 1000) == nil)
        #expect(TestRunner.interactiveSolutionVerdict(solution: tle, result: .failed("interactor crashed"), cpuLimitMilliseconds: 1000) == .timeLimitExceeded)
        #expect(TestRunner.interactiveSolutionVerdict(solution: self.outcome(.exited(1)), result: .failed("interactor crashed"), cpuLimitMilliseconds: 1000) == nil)
    }
}
