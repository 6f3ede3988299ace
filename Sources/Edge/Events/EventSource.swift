import ServiceKit

/// Where live events come from: Redis pub/sub in production and in tests. Submissions publish on
/// `SubmissionEventChannel`, matches on `MatchEventChannel`.
protocol EventSource: Sendable {
    /// The messages published on `channel` from the moment this returns (the subscription is
    /// confirmed first, so state read afterwards cannot miss one).
    func follow(channel: String) async throws -> AsyncThrowingStream<RedisMessage, any Error>
}

extension RedisPool: EventSource {
    func follow(channel: String) async throws -> AsyncThrowingStream<RedisMessage, any Error> {
        try await self.subscribeConfirmed([channel])
    }
}
