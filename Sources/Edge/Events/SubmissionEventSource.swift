import AlgoProto
import ServiceKit

/// Where live submission events come from: Redis pub/sub in production and in tests.
protocol SubmissionEventSource: Sendable {
    /// The events of one submission published from the moment this returns (the subscription is
    /// confirmed first, so state read afterwards cannot miss one).
    func follow(_ submissionID: Int64) async throws -> AsyncThrowingStream<RedisMessage, any Error>
}

extension RedisPool: SubmissionEventSource {
    func follow(_ submissionID: Int64) async throws -> AsyncThrowingStream<RedisMessage, any Error> {
        try await self.subscribeConfirmed([SubmissionEventChannel.channel(submissionID)])
    }
}
