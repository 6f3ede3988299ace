import NIOConcurrencyHelpers

/// Remembers a failed connection attempt for a moment, so that while a server is down every
/// queued call fails at once (callers answer UNAVAILABLE) instead of each one waiting for its
/// own connect timeout in turn.
final class ConnectFailureGate: Sendable {
    private let window: Duration
    private let last = NIOLockedValueBox<(at: ContinuousClock.Instant, message: String)?>(nil)

    init(window: Duration = .milliseconds(500)) {
        self.window = window
    }

    /// The recent failure's message, if a connection attempt failed within the window.
    func recentFailure() -> String? {
        self.last.withLockedValue { last in
            guard let failure = last else { return nil }
            if ContinuousClock.now - failure.at < self.window { return failure.message }
            last = nil
            return nil
        }
    }

    func recordFailure(_ message: String) {
        self.last.withLockedValue { $0 = (ContinuousClock.now, message) }
    }

    func recordSuccess() {
        self.last.withLockedValue { $0 = nil }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up: a positive timeout must never become 0 ("wait forever").
    var storageMilliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return attoseconds % 1_000_000_000_000_000 > 0 ? millis + 1 : millis
    }
}
