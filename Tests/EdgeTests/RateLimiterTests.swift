import Logging
import ServiceKit
import Synchronization
import Testing

@testable import Edge

/// The limiter's decisions without Redis: a counter that we control.
@Suite struct RateLimiterTests {
    final class FakeCounter: RateLimitCounter {
        let counts = Mutex<[String: Int]>([:])
        let failing: Bool
        init(failing: Bool = false) { self.failing = failing }

        func incrementWithExpiry(_ key: String, window: Duration) async throws -> (count: Int, ttl: Duration) {
            if self.failing { throw RedisError(.connectionFailure, "down") }
            let count = self.counts.withLock { counts in
                counts[key, default: 0] += 1
                return counts[key, default: 0]
            }
            return (count, .milliseconds(12_300))
        }
    }

    static let rule = RateLimiter.Rule(name: "test", limit: 2, window: .seconds(60))

    @Test func limitsAfterTheWindowCountAndRoundsRetryAfterUp() async throws {
        let limiter = RateLimiter(counter: FakeCounter(), keyPrefix: "p:")
        let logger = TestServices.logger
        try await limiter.hit(Self.rule, subject: "a", logger: logger)
        try await limiter.hit(Self.rule, subject: "a", logger: logger)
        try await limiter.hit(Self.rule, subject: "b", logger: logger)
        await #expect {
            try await limiter.hit(Self.rule, subject: "a", logger: logger)
        } throws: { error in
            guard let problem = error as? Problem else { return false }
            return problem.type == .rateLimited && problem.headers[.retryAfter] == "13"
        }
        // A limit of 0 turns the rule off.
        for _ in 0..<5 { try await limiter.hit(.init(name: "off", limit: 0, window: .seconds(1)), subject: "a", logger: logger) }
    }

    @Test func failsOpenWhenTheStoreIsDown() async throws {
        let limiter = RateLimiter(counter: FakeCounter(failing: true), keyPrefix: "p:")
        let logger = TestServices.logger
        for _ in 0..<10 { try await limiter.hit(Self.rule, subject: "a", logger: logger) }
    }
}
