/// How a match ended. A referee failure (or a referee that does not compile) is ours: the match
/// is retried and never rated. Bots that fail lose; the match still has a result.
public struct MatchResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case completed
        case refereeFailed(String)
    }

    public var outcome: Outcome
    /// In player order (player 1 first); empty when the referee failed.
    public var players: [PlayerResult]
    public var frames: [[UInt8]]
    public var refereeLog: [UInt8]
    /// RECVs answered in the whole match.
    public var turns: Int
}

public struct PlayerResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case ok
        case timeout
        /// Exited, was killed, or exceeded its memory.
        case crash(String)
        case overflow
        case kicked(String)
        case compilationError

        /// The wire word of docs/game-protocol.md's replay `status`.
        public var name: String {
            switch self {
            case .ok: "ok"
            case .timeout: "timeout"
            case .crash: "crash"
            case .overflow: "overflow"
            case .kicked: "kicked"
            case .compilationError: "compilation_error"
            }
        }
    }

    public var rank: Int
    public var score: Double
    public var status: Status
    public var cpuMilliseconds: Int
    public var peakMemoryKilobytes: Int
    /// What the bot wrote to stderr (truncated), or the compiler's diagnostics: its owner's eyes only.
    public var log: String
}
