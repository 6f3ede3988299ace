import NIOCore

/// One timer per connection for every request deadline, instead of one NIO timer per request.
///
/// Per-request timers cost a heap insertion and a linear-search removal each on the event loop's
/// scheduled-task heap; with deadlines that mostly arrive in increasing order the single timer is
/// almost never rescheduled. Confined to the connection's event loop.
struct DeadlineTimer {
    private var scheduled: (deadline: NIODeadline, task: Scheduled<Void>)?

    /// True when the timer already fires no later than `deadline`: the common case, tested before
    /// building the closure that ``arm(for:on:fire:)`` takes (an allocation per request otherwise).
    func covers(_ deadline: NIODeadline) -> Bool {
        if let scheduled, scheduled.deadline <= deadline { return true }
        return false
    }

    /// Makes sure the timer fires no later than `deadline`.
    mutating func arm(for deadline: NIODeadline, on eventLoop: any EventLoop, fire: @escaping @Sendable () -> Void) {
        if self.covers(deadline) { return }
        self.scheduled?.task.cancel()
        self.scheduled = (deadline, eventLoop.scheduleTask(deadline: deadline, fire))
    }

    /// Call first thing when the timer fires, before sweeping and re-arming for the earliest remaining deadline.
    mutating func fired() {
        self.scheduled = nil
    }

    mutating func cancel() {
        self.scheduled?.task.cancel()
        self.scheduled = nil
    }
}
