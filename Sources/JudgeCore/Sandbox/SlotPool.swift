import NIOConcurrencyHelpers

/// Free slot indices and the runs waiting for them, first come first served (a pair waiting for
/// two slots is not overtaken by single runs).
final class SlotPool: Sendable {
    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<[Int], any Error>
    }

    private struct State {
        var free: [Int]
        var waiters: [Waiter] = []
        var closed = false
    }

    private let state: NIOLockedValueBox<State>
    let capacity: Int

    init(slots: Int) {
        capacity = slots
        state = NIOLockedValueBox(State(free: Array(0..<slots)))
    }

    func acquire(_ count: Int) async throws -> [Int] {
        precondition(count <= capacity, "more slots than the pool has")
        return try await withCheckedThrowingContinuation { continuation in
            let granted: Result<[Int], any Error>? = state.withLockedValue { state in
                if state.closed { return .failure(SandboxError.shutDown) }
                if state.waiters.isEmpty && state.free.count >= count {
                    let slots = Array(state.free.suffix(count))
                    state.free.removeLast(count)
                    return .success(slots)
                }
                state.waiters.append(Waiter(count: count, continuation: continuation))
                return nil
            }
            if let granted { continuation.resume(with: granted) }
        }
    }

    func release(_ slots: [Int]) {
        let ready: [(CheckedContinuation<[Int], any Error>, [Int])] = state.withLockedValue { state in
            state.free += slots
            var ready: [(CheckedContinuation<[Int], any Error>, [Int])] = []
            while let first = state.waiters.first, state.free.count >= first.count {
                state.waiters.removeFirst()
                ready.append((first.continuation, Array(state.free.suffix(first.count))))
                state.free.removeLast(first.count)
            }
            return ready
        }
        for (continuation, slots) in ready { continuation.resume(returning: slots) }
    }

    /// Fails every waiter; later `acquire`s fail too.
    func close() {
        let waiters = state.withLockedValue { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: SandboxError.shutDown) }
    }

    /// Waits until every slot is back (runs in flight finish first).
    func waitUntilIdle() async {
        while state.withLockedValue({ $0.free.count }) < capacity {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
