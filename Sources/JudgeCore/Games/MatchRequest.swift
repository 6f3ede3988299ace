/// A match to play: a referee, 2 or more bots (player i is `bots[i - 1]`), the seed and the game
/// version's limits. See docs/game-protocol.md.
public struct MatchRequest: Sendable {
    public var referee: ProgramSource
    public var bots: [ProgramSource]
    public var seed: UInt64
    public var limits: MatchLimits

    public init(referee: ProgramSource, bots: [ProgramSource], seed: UInt64, limits: MatchLimits) {
        self.referee = referee
        self.bots = bots
        self.seed = seed
        self.limits = limits
    }
}

public struct MatchLimits: Sendable, Hashable {
    /// CPU time for a bot's first answer (start-up included).
    public var initMilliseconds: Int
    /// CPU time for each later answer.
    public var turnMilliseconds: Int
    public var memoryMegabytes: Int
    /// RECVs in the whole match; a referee that asks for more has failed.
    public var maxTurns: Int
    /// The referee's own limits: it is the game's code, trusted to be correct, not to be fast.
    public var refereeCPUMilliseconds: Int
    public var refereeMemoryMegabytes: Int

    public init(
        initMilliseconds: Int = 2000, turnMilliseconds: Int = 200, memoryMegabytes: Int = 256, maxTurns: Int = 1000,
        refereeCPUMilliseconds: Int = 20_000, refereeMemoryMegabytes: Int = 256
    ) {
        self.initMilliseconds = initMilliseconds
        self.turnMilliseconds = turnMilliseconds
        self.memoryMegabytes = memoryMegabytes
        self.maxTurns = maxTurns
        self.refereeCPUMilliseconds = refereeCPUMilliseconds
        self.refereeMemoryMegabytes = refereeMemoryMegabytes
    }

    /// A bot that waits (sleeps, blocks) uses no CPU: this wall-clock cap catches it.
    func wallCap(forCPU milliseconds: Int) -> Int { 3 * milliseconds + 1000 }

    /// The whole match's wall-clock bound: every turn at its wall cap, at most half an hour.
    var matchWallMilliseconds: Int {
        min(self.wallCap(forCPU: self.initMilliseconds) + self.maxTurns * self.wallCap(forCPU: self.turnMilliseconds), 1_800_000)
    }
}
