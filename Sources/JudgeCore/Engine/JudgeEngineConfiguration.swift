/// Where the engine keeps things and how much; JudgeService builds it from its environment.
public struct JudgeEngineConfiguration: Sendable {
    /// Compiled programs and precompiled headers; survives restarts.
    public var cacheDirectory: String
    /// Bound of the compiled-program cache (least recently used go first).
    public var compileCacheBytes: Int
    /// Per-judging scratch (boxes, outputs); emptied after each judging.
    public var workDirectory: String
    public var languages: [LanguageConfiguration]
    /// Cap of a solution's output (and of files it writes): beyond it, OLE.
    public var outputLimitBytes: Int
    /// Limits of checkers and interactors (the problem's own programs).
    public var checkerTimeLimitMilliseconds: Int
    public var checkerMemoryMegabytes: Int

    public init(
        cacheDirectory: String, compileCacheBytes: Int = 1 << 30, workDirectory: String,
        languages: [LanguageConfiguration] = DefaultLanguages.all, outputLimitBytes: Int = 64 << 20,
        checkerTimeLimitMilliseconds: Int = 10_000, checkerMemoryMegabytes: Int = 512
    ) {
        self.cacheDirectory = cacheDirectory
        self.compileCacheBytes = compileCacheBytes
        self.workDirectory = workDirectory
        self.languages = languages
        self.outputLimitBytes = outputLimitBytes
        self.checkerTimeLimitMilliseconds = checkerTimeLimitMilliseconds
        self.checkerMemoryMegabytes = checkerMemoryMegabytes
    }
}
