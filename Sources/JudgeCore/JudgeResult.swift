/// Verdict strings are the API's (`AC`, `WA`, …); JudgeService maps them to the proto enum.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    case accepted = "AC"
    case wrongAnswer = "WA"
    case presentationError = "PE"
    case timeLimitExceeded = "TLE"
    case memoryLimitExceeded = "MLE"
    case outputLimitExceeded = "OLE"
    case runtimeError = "RE"
    case securityViolation = "SV"
    case compilationError = "CE"
    /// Ours, never the user's: JudgeService retries the submission.
    case systemError = "SE"
    case skipped = "SKIPPED"
}

public struct TestOutcome: Sendable, Hashable {
    public var name: String
    public var group: String
    public var verdict: Verdict
    /// From the cgroup (cpuacct), not from wall clocks.
    public var cpuTimeMilliseconds: Int
    public var wallTimeMilliseconds: Int
    /// Peak, from the memory cgroup.
    public var memoryKilobytes: Int
    public var exitCode: Int32
    /// The signal that ended the program, as seen by our own reaper; nil when it exited.
    public var signal: Int32?
    /// The checker's message, truncated.
    public var checkerMessage: String
    public var points: Double

    public init(
        name: String, group: String, verdict: Verdict, cpuTimeMilliseconds: Int = 0,
        wallTimeMilliseconds: Int = 0, memoryKilobytes: Int = 0, exitCode: Int32 = 0,
        signal: Int32? = nil, checkerMessage: String = "", points: Double = 0
    ) {
        self.name = name
        self.group = group
        self.verdict = verdict
        self.cpuTimeMilliseconds = cpuTimeMilliseconds
        self.wallTimeMilliseconds = wallTimeMilliseconds
        self.memoryKilobytes = memoryKilobytes
        self.exitCode = exitCode
        self.signal = signal
        self.checkerMessage = checkerMessage
        self.points = points
    }
}

public struct JudgeResult: Sendable, Hashable {
    /// The first non-AC test verdict (CE before any test; SE when the judge failed).
    public var verdict: Verdict
    public var score: Double
    public var maxScore: Double
    /// Truncated compiler diagnostics (also for successful compiles with warnings).
    public var compileOutput: String
    public var tests: [TestOutcome]

    public init(verdict: Verdict, score: Double, maxScore: Double, compileOutput: String, tests: [TestOutcome]) {
        self.verdict = verdict
        self.score = score
        self.maxScore = maxScore
        self.compileOutput = compileOutput
        self.tests = tests
    }
}

/// What the engine reports while it works; JudgeService forwards it to Submissions.
public enum JudgeProgress: Sendable, Hashable {
    case compiling
    /// 1-based.
    case running(test: Int, of: Int)
}
