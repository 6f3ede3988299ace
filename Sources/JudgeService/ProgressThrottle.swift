import Synchronization

/// Decides which "running test k of n" reports go out: the first always, then at most one per
/// interval. Each report is an RPC, a row update and a publish; a live view needs a few per second,
/// not one per millisecond-long test.
final class ProgressThrottle: Sendable {
    private let interval: Duration
    private let lastSent = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    func shouldSend(now: ContinuousClock.Instant = .now) -> Bool {
        self.lastSent.withLock { last in
            if let last, now - last < self.interval { return false }
            last = now
            return true
        }
    }
}
