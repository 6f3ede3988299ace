import NIOCore

/// Dedicated threads for one blocking C client, each owning one `Resource` (a connection slot).
///
/// A resource is created on its thread and never leaves it, which is how "one `PGconn` /
/// `redisContext` per thread at a time" is guaranteed without `@unchecked Sendable` connections.
/// Threads start lazily, up to `maxThreads`, and take jobs from one FIFO queue. A job whose task
/// is cancelled while still queued is dropped; a running job finishes (the C call cannot be
/// interrupted safely; statement and command timeouts bound it).
final class BlockingThreadPool<Resource>: Sendable {
    private let name: String
    private let maxThreads: Int
    private let makeResource: @Sendable () -> Resource
    private let releaseResource: @Sendable (Resource) -> Void
    private let closedError: @Sendable () -> any Error
    private let state = BlockingPoolState<Resource>()

    /// - Parameters:
    ///   - makeResource: runs on each new thread, before its first job.
    ///   - releaseResource: runs on the thread when the pool shuts down.
    ///   - closedError: what calls made after `shutdown()` throw.
    init(
        name: String,
        maxThreads: Int,
        makeResource: @escaping @Sendable () -> Resource,
        releaseResource: @escaping @Sendable (Resource) -> Void,
        closedError: @escaping @Sendable () -> any Error
    ) {
        precondition(maxThreads > 0, "a pool needs at least one thread")
        self.name = name
        self.maxThreads = maxThreads
        self.makeResource = makeResource
        self.releaseResource = releaseResource
        self.closedError = closedError
    }

    /// Runs `body` with a thread's resource on that thread; the caller's task suspends meanwhile.
    func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        let job = BlockingJob<Resource>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                self.submit(
                    job,
                    work: { resource in continuation.resume(with: Result { try body(resource) }) },
                    abandon: { continuation.resume(throwing: $0) }
                )
            }
        } onCancel: {
            self.cancel(job)
        }
    }

    /// Fails queued jobs, lets running ones finish, and returns when every thread has exited.
    func shutdown() async {
        let abandoned: [@Sendable (any Error) -> Void] = self.state.condition.withLock {
            self.state.closed = true
            var abandoned: [@Sendable (any Error) -> Void] = []
            while let job = self.state.queue.popFirst() {
                if let abandon = job.takeIfQueued() { abandoned.append(abandon) }
            }
            self.state.condition.broadcast()
            return abandoned
        }
        for abandon in abandoned { abandon(self.closedError()) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            self.state.condition.lock()
            if self.state.threads == 0 {
                self.state.condition.unlock()
                continuation.resume()
            } else {
                self.state.exitWaiters.append(continuation)
                self.state.condition.unlock()
            }
        }
    }

    /// Number of threads started and not yet exited.
    var threadCount: Int { self.state.condition.withLock { self.state.threads } }

    private func submit(
        _ job: BlockingJob<Resource>,
        work: @escaping @Sendable (Resource) -> Void,
        abandon: @escaping @Sendable (any Error) -> Void
    ) {
        var failure: (any Error)?
        var spawn = false
        self.state.condition.withLock {
            if job.state == .cancelled {
                failure = CancellationError()
            } else if self.state.closed {
                failure = self.closedError()
            } else {
                job.state = .queued
                job.work = work
                job.abandon = abandon
                self.state.queue.append(job)
                // Idle threads take one job each; start another thread only if they cannot keep up.
                if self.state.queue.count > self.state.idle && self.state.threads < self.maxThreads {
                    self.state.threads += 1
                    spawn = true
                }
                if self.state.idle > 0 { self.state.condition.signal() }
            }
        }
        if let failure { abandon(failure) }
        if spawn {
            let number = self.state.condition.withLock { () -> Int in
                self.state.started += 1
                return self.state.started
            }
            BlockingThread.start(name: "\(self.name)-\(number)") { self.workerLoop() }
        }
    }

    private func cancel(_ job: BlockingJob<Resource>) {
        let abandon: (@Sendable (any Error) -> Void)? = self.state.condition.withLock {
            if job.state == .new {
                job.state = .cancelled
                return nil
            }
            return job.takeIfQueued()
        }
        abandon?(CancellationError())
    }

    private func workerLoop() {
        let resource = self.makeResource()
        let state = self.state
        state.condition.lock()
        while true {
            if let job = state.queue.popFirst() {
                guard job.state == .queued, let work = job.work else { continue }
                job.state = .running
                job.work = nil
                job.abandon = nil
                state.condition.unlock()
                work(resource)
                state.condition.lock()
                continue
            }
            if state.closed { break }
            state.idle += 1
            state.condition.wait()
            state.idle -= 1
        }
        state.condition.unlock()
        self.releaseResource(resource)
        let waiters: [CheckedContinuation<Void, Never>] = state.condition.withLock {
            state.threads -= 1
            guard state.threads == 0 else { return [] }
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The pool's queue and counters; every field is guarded by `condition`.
final class BlockingPoolState<Resource>: @unchecked Sendable {
    let condition = BlockingCondition()
    var queue = CircularBuffer<BlockingJob<Resource>>()
    var threads = 0
    var started = 0
    var idle = 0
    var closed = false
    var exitWaiters: [CheckedContinuation<Void, Never>] = []
}

/// One call waiting for or running on a pool thread; every field is guarded by the pool's lock.
final class BlockingJob<Resource>: @unchecked Sendable {
    enum State { case new, queued, running, cancelled }
    var state = State.new
    var work: (@Sendable (Resource) -> Void)?
    var abandon: (@Sendable (any Error) -> Void)?

    /// If still queued: marks it cancelled and returns the function that fails its caller.
    func takeIfQueued() -> (@Sendable (any Error) -> Void)? {
        guard self.state == .queued else { return nil }
        self.state = .cancelled
        defer { self.work = nil; self.abandon = nil }
        return self.abandon
    }
}
