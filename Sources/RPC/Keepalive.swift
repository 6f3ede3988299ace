import NIOCore

/// Decides when to PING an idle peer and when to give up on it. Pure logic; the handlers own the timer.
struct Keepalive {
    /// Silence after which a PING is sent.
    let interval: TimeAmount
    /// How long a PING may go unanswered (by anything at all) before the peer counts as dead.
    let timeout: TimeAmount
    private var lastHeard: NIODeadline
    private var pingSentAt: NIODeadline?

    enum Action: Equatable { case none, sendPing, close }

    init(interval: TimeAmount, timeout: TimeAmount, now: NIODeadline) {
        self.interval = interval
        self.timeout = timeout
        self.lastHeard = now
    }

    /// How often the owner should call ``tick(now:)``.
    var tickInterval: TimeAmount { .nanoseconds(max(min(self.interval, self.timeout).nanoseconds / 2, 1_000_000)) }

    /// Any frame from the peer proves it alive.
    mutating func heard(now: NIODeadline) {
        self.lastHeard = now
        self.pingSentAt = nil
    }

    mutating func tick(now: NIODeadline) -> Action {
        if let sent = self.pingSentAt {
            return now - sent >= self.timeout ? .close : .none
        }
        if now - self.lastHeard >= self.interval {
            self.pingSentAt = now
            return .sendPing
        }
        return .none
    }
}
