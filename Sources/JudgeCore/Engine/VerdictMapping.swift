/// How a run's end becomes a verdict, before any checker: the cgroup and our own reaper decide,
/// never the exit code alone (`exit(137)` is an exit, not a kill).
enum VerdictMapping {
    /// nil when the program ended normally within its limits: the checker decides.
    static func verdict(_ outcome: SandboxOutcome, cpuLimitMilliseconds: Int) -> Verdict? {
        if outcome.securityViolation { return .securityViolation }
        if outcome.memoryLimitHit { return .memoryLimitExceeded }
        if outcome.cpuLimitHit || outcome.wallLimitHit || outcome.cpuMilliseconds > cpuLimitMilliseconds {
            return .timeLimitExceeded
        }
        if outcome.outputLimitHit { return .outputLimitExceeded }
        switch outcome.termination {
        case .signaled: return .runtimeError
        case .exited(0): return nil
        case .exited: return .runtimeError
        }
    }

    /// A test's outcome with the run's measurements; the checker's part is filled in by the caller.
    static func outcome(of test: TestFile, _ outcome: SandboxOutcome, verdict: Verdict) -> TestOutcome {
        var result = TestOutcome(
            name: test.name, group: test.group, verdict: verdict, cpuTimeMilliseconds: outcome.cpuMilliseconds,
            wallTimeMilliseconds: outcome.wallMilliseconds, memoryKilobytes: outcome.peakMemoryBytes / 1024
        )
        switch outcome.termination {
        case .exited(let code): result.exitCode = code
        case .signaled(let signal): result.signal = signal
        }
        return result
    }
}
