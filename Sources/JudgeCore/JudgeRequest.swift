/// Everything the engine needs to judge one submission. JudgeService builds it from the job, the
/// submission and the problem; test files are already on local disk (the test data cache).
public struct JudgeRequest: Sendable {
    public var language: String
    public var source: String
    /// The problem's hidden wrapper for this language (a main that calls `solution`), compiled
    /// after the submission in the same file; nil when the submission is a whole program.
    public var wrapper: String?
    public var timeLimitMilliseconds: Int
    public var memoryLimitMegabytes: Int
    public var checker: CheckerSpec
    /// Interactive problems: the interactor sits on the solution's stdin/stdout (testlib protocol).
    public var interactor: ProgramSource?
    public var scoring: ScoringSpec
    /// In judging order.
    public var tests: [TestFile]

    public init(
        language: String, source: String, wrapper: String? = nil,
        timeLimitMilliseconds: Int, memoryLimitMegabytes: Int,
        checker: CheckerSpec = .tokens, interactor: ProgramSource? = nil,
        scoring: ScoringSpec = .icpc, tests: [TestFile]
    ) {
        self.language = language
        self.source = source
        self.wrapper = wrapper
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.memoryLimitMegabytes = memoryLimitMegabytes
        self.checker = checker
        self.interactor = interactor
        self.scoring = scoring
        self.tests = tests
    }
}

/// A program by the problem's author (checker, interactor), compiled like a submission.
public struct ProgramSource: Sendable, Hashable {
    public var language: String
    public var source: String

    public init(language: String, source: String) {
        self.language = language
        self.source = source
    }
}

public enum CheckerSpec: Sendable, Hashable {
    /// Byte for byte after normalising line endings and trailing whitespace; PE when only the
    /// layout differs.
    case exact
    /// Whitespace-separated tokens.
    case tokens
    /// Tokens; numbers pass within the absolute OR the relative tolerance.
    case float(absoluteTolerance: Double, relativeTolerance: Double)
    /// testlib: `checker input output answer`, exit 0 AC / 1 WA / 2 PE / 3 fail / 7 points.
    case custom(ProgramSource)
}

public struct TestGroupSpec: Sendable, Hashable {
    public var name: String
    public var points: Int
    public var dependsOn: [String]

    public init(name: String, points: Int, dependsOn: [String] = []) {
        self.name = name
        self.points = points
        self.dependsOn = dependsOn
    }
}

public enum ScoringSpec: Sendable, Hashable {
    /// All or nothing; judging stops at the first failed test (the rest are SKIPPED).
    case icpc
    /// A group scores its points when all its tests pass; groups whose dependencies failed are
    /// SKIPPED.
    case ioi(groups: [TestGroupSpec])
}

public struct TestFile: Sendable, Hashable {
    public var name: String
    public var group: String
    /// Per-test points (custom checkers may award a fraction of them).
    public var points: Int
    /// Absolute paths of files the judge owns (read-only to the sandbox).
    public var inputPath: String
    public var answerPath: String

    public init(name: String, group: String = "", points: Int = 0, inputPath: String, answerPath: String) {
        self.name = name
        self.group = group
        self.points = points
        self.inputPath = inputPath
        self.answerPath = answerPath
    }
}
