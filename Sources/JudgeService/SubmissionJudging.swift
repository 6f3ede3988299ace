import AlgoProto
import JudgeCore

/// What a worker needs from the engine; JudgeCore's JudgeEngine in production, fakes in unit tests
/// of the queue logic.
protocol SubmissionJudging: Sendable {
    func judge(_ request: JudgeRequest, progress: @Sendable (JudgeProgress) async -> Void) async -> JudgeResult
    /// The languages this judge runs, with the toolchain versions it probed.
    var languageCapabilities: [JudgeV1.LanguageCapability] { get }
}
