import Synchronization

/// Tells the ranked scheduler that a ranked match just finished, so that it fills the room again
/// now rather than at its next interval. Ringing twice before it wakes is one wake-up.
final class SchedulerBell: Sendable {
    private let rung = Atomic<Bool>(false)

    func ring() {
        self.rung.store(true, ordering: .releasing)
    }

    /// Waits until the bell rings (true) or `timeout` passes (false), looking every `step`.
    @discardableResult
    func wait(upTo timeout: Duration, step: Duration = .milliseconds(50)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if self.rung.exchange(false, ordering: .acquiringAndReleasing) { return true }
            try await Task.sleep(for: min(step, deadline - ContinuousClock.now))
        }
        return self.rung.exchange(false, ordering: .acquiringAndReleasing)
    }
}
