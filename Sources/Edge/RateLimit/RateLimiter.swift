import Logging
import ServiceKit
import Synchronization

/// A fixed-window counter store (Redis in production, a fake in unit tests).
protocol RateLimitCounter: Sendable {
    /// Adds one to `key`, starting a window of `window` when the key is new.
    func incrementWithExpiry(_ key: String, window: Duration) async throws -> (count: Int, ttl: Duration)
}

extension RedisPool: RateLimitCounter {}

/// Fixed-window limits on abuse-prone endpoints (login, registration), kept in Redis so that
/// every Edge replica counts together.
///
/// When Redis is down the limiter lets requests through (fail open) and logs it: refusing every
/// login because a counter store is down would turn a Redis outage into a full sign-in outage,
/// while password guessing stays slow without it (argon2id in Users) and /readyz reports Redis
/// as not ready, so operators see the gap.
final class RateLimiter: Sendable {
    struct Rule: Sendable {
        var name: String
        var limit: Int
        var window: Duration
    }

    let counter: any RateLimitCounter
    let keyPrefix: String
    private let lastOutageLog = Mutex<ContinuousClock.Instant?>(nil)

    init(counter: any RateLimitCounter, keyPrefix: String) {
        self.counter = counter
        self.keyPrefix = keyPrefix
    }

    /// Counts one attempt under `rule` for `subject`; a 429 problem once the window's limit is passed.
    func hit(_ rule: Rule, subject: String, logger: Logger) async throws {
        guard rule.limit > 0 else { return }
        let result: (count: Int, ttl: Duration)
        do {
            result = try await self.counter.incrementWithExpiry("\(self.keyPrefix)\(rule.name):\(subject)", window: rule.window)
        } catch {
            self.logOutage(error, rule: rule, logger: logger)
            return
        }
        guard result.count > rule.limit else { return }
        let seconds = Int(result.ttl.components.seconds) + (result.ttl.components.attoseconds > 0 ? 1 : 0)
        logger.notice("rate limit reached", metadata: ["limit": "\(rule.name)", "count": "\(result.count)"])
        throw Problem.retryAfter(.rateLimited, "Too many attempts; try again in \(max(1, seconds)) s.", seconds: seconds)
    }

    /// At most one warning per 10 s: during an outage every login would otherwise log one.
    private func logOutage(_ error: any Error, rule: Rule, logger: Logger) {
        let now = ContinuousClock.now
        let shouldLog = self.lastOutageLog.withLock { last -> Bool in
            if let last, now - last < .seconds(10) { return false }
            last = now
            return true
        }
        if shouldLog {
            logger.warning(
                "rate limit store unavailable; allowing requests (fail open)",
                metadata: ["limit": "\(rule.name)", "error": "\(error)"]
            )
        }
    }
}
