import NIOCore

/// Dedicated threads for one blocking C client, each owning one `Resource` (a connection slot).
///
/// A resource is created on its thread and never leaves it, which is how "one `PGconn` /
/// `redisContext` per thread at a time" is guaranteed without `@unchecked Sendable` connections.
/// Threads start lazily, up to `maxThreads`, and take jobs from one FIFO queue. A job whose task
/// is cancelled while still queued is dropped; a running job finishes (the C call cannot be
/// interrupted safely; statement and command timeouts bound it).
///
/// A job wakes one idle thread, the one that went idle last, and only if no thread is already
/// on its way to the queue; a thread that leaves jobs behind wakes the next. So a burst of jobs
/// (one RPC read can bring dozens) is taken by few threads, whose connections stay warm, instead
/// of waking every thread for one job each. With a `BlockingBatcher`, a thread takes the batchable
/// jobs at the head of the queue together (PostgreSQL's pipeline mode).
final class BlockingThreadPool<Resource, BatchItem: Sendable>: Sendable {
    private let name: String
    private let maxThreads: Int
    private let makeResource: @Sendable () -> Resource
    private let releaseResource: @Sendable (Resource) -> Void
    private let closedError: @Sendable () -> any Error
    private let batcher: BlockingBatcher<Resource, BatchItem>?
    private let state = BlockingPoolState<Resource, BatchItem>()

    /// - Parameters:
    ///   - makeResource: runs on each new thread, before its first job.
    ///   - releaseResource: runs on the thread when the pool shuts down.
    ///   - closedError: what calls made after `shutdown()` throw.
    ///   - batcher: runs several batchable jobs at once; without one every job runs alone.
    init(
        name: String,
        maxThreads: Int,
        makeResource: @escaping @Sendable () -> Resource,
        releaseResource: @escaping @Sendable (Resource) -> Void,
        closedError: @escaping @Sendable () -> any Error,
        batcher: BlockingBatcher<Resource, BatchItem>? = nil
    ) {
        precondition(maxThreads > 0, "a pool needs at least one thread")
        self.name = name
        self.maxThreads = maxThreads
        self.makeResource = makeResource
        self.releaseResource = releaseResource
        self.closedError = closedError
        self.batcher = batcher
    }

    /// Runs `body` with a thread's resource on that thread; the caller's task suspends meanwhile.
    ///
    /// With `batchItem`, the job may instead run inside a batch: the batcher gets the item that
    /// `batchItem` made from the completion, and must call that completion exactly once.
    func run<T: Sendable>(
        batchItem: ((@escaping @Sendable (Result<T, any Error>) -> Void) -> BatchItem)? = nil,
        _ body: @escaping @Sendable (Resource) throws -> T
    ) async throws -> T {
        let job = BlockingJob<Resource, BatchItem>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let complete: @Sendable (Result<T, any Error>) -> Void = { continuation.resume(with: $0) }
                self.submit(
                    job,
                    work: { resource in complete(Result { try body(resource) }) },
                    batchItem: self.batcher == nil ? nil : batchItem?(complete),
                    abandon: { continuation.resume(throwing: $0) }
                )
            }
        } onCancel: {
            self.cancel(job)
        }
    }

    /// Fails queued jobs, lets running ones finish, and returns when every thread has exited.
    func shutdown() async {
        let abandoned: [@Sendable (any Error) -> Void] = self.state.mutex.withLock {
            self.state.closed = true
            var abandoned: [@Sendable (any Error) -> Void] = []
            while let job = self.state.queue.popFirst() {
                if let abandon = job.takeIfQueued() { abandoned.append(abandon) }
            }
            while let sleeper = self.state.sleepers.popLast() {
                self.state.waking += 1
                sleeper.wake()
            }
            return abandoned
        }
        for abandon in abandoned { abandon(self.closedError()) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            self.state.mutex.lock()
            if self.state.threads == 0 {
                self.state.mutex.unlock()
                continuation.resume()
            } else {
                self.state.exitWaiters.append(continuation)
                self.state.mutex.unlock()
            }
        }
    }

    /// Number of threads started and not yet exited.
    var threadCount: Int { self.state.mutex.withLock { self.state.threads } }

    /// Jobs waiting for a thread (for tests).
    var queuedCount: Int { self.state.mutex.withLock { self.state.queue.lazy.filter { $0.state == .queued }.count } }

    private func submit(
        _ job: BlockingJob<Resource, BatchItem>,
        work: @escaping @Sendable (Resource) -> Void,
        batchItem: BatchItem?,
        abandon: @escaping @Sendable (any Error) -> Void
    ) {
        var failure: (any Error)?
        var spawn = false
        self.state.mutex.withLock {
            if job.state == .cancelled {
                failure = CancellationError()
            } else if self.state.closed {
                failure = self.closedError()
            } else {
                job.state = .queued
                job.work = work
                job.batchItem = batchItem
                job.abandon = abandon
                self.state.queue.append(job)
                spawn = self.wakeOne()
            }
        }
        if let failure { abandon(failure) }
        if spawn { self.startThread() }
    }

    private func cancel(_ job: BlockingJob<Resource, BatchItem>) {
        let abandon: (@Sendable (any Error) -> Void)? = self.state.mutex.withLock {
            if job.state == .new {
                job.state = .cancelled
                return nil
            }
            return job.takeIfQueued()
        }
        abandon?(CancellationError())
    }

    /// Gets a thread to the queue unless one is already on its way: wakes the thread that went
    /// idle last, or returns true when the caller should start a new one. Call with the lock held.
    private func wakeOne() -> Bool {
        guard self.state.waking == 0 else { return false }
        if let sleeper = self.state.sleepers.popLast() {
            self.state.waking += 1
            sleeper.wake()
            return false
        }
        // Every thread is busy: start another rather than queue behind a slow call.
        guard self.state.threads < self.maxThreads else { return false }
        self.state.threads += 1
        self.state.waking += 1
        return true
    }

    private func workerLoop() {
        let resource = self.makeResource()
        let state = self.state
        let sleeper = BlockingSleeper()
        state.mutex.lock()
        state.waking -= 1
        while true {
            if let job = state.queue.popFirst() {
                guard job.state == .queued, let work = job.work else { continue }
                let item = job.batchItem
                job.markRunning()
                let batch = self.takeBatch(startingWith: item)
                // Jobs left behind get a thread of their own while this one is busy.
                let spawn = !state.queue.isEmpty && self.wakeOne()
                state.mutex.unlock()
                if spawn { self.startThread() }
                if let batch, let batcher = self.batcher {
                    batcher.run(resource, batch)
                } else {
                    work(resource)
                }
                state.mutex.lock()
                continue
            }
            if state.closed { break }
            sleeper.woken = false
            state.sleepers.append(sleeper)
            while !sleeper.woken { state.mutex.wait(sleeper) }
            state.waking -= 1
        }
        state.mutex.unlock()
        self.releaseResource(resource)
        let waiters: [CheckedContinuation<Void, Never>] = state.mutex.withLock {
            state.threads -= 1
            guard state.threads == 0 else { return [] }
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// `first` (the item of a job just taken) and the items of the batchable jobs right behind it,
    /// marked running, when there are at least two; nil runs the job alone. Call with the lock held.
    private func takeBatch(startingWith first: BatchItem?) -> [BatchItem]? {
        guard let batcher = self.batcher, let item = first else { return nil }
        var items = [item]
        while items.count < batcher.maxItems, let next = self.state.queue.first {
            if next.state == .queued {
                guard let nextItem = next.batchItem else { break }
                next.markRunning()
                items.append(nextItem)
            }
            self.state.queue.removeFirst()  // taken, or cancelled while queued
        }
        return items.count > 1 ? items : nil
    }

    private func startThread() {
        let number = self.state.mutex.withLock { () -> Int in
            self.state.started += 1
            return self.state.started
        }
        BlockingThread.start(name: "\(self.name)-\(number)") { self.workerLoop() }
    }
}

/// Runs several queued jobs in one go on a pool thread's resource.
struct BlockingBatcher<Resource, Item: Sendable>: Sendable {
    /// Most items in one batch.
    let maxItems: Int
    /// Must complete every item.
    let run: @Sendable (Resource, [Item]) -> Void
}

/// The pool's queue and counters; every field is guarded by `mutex`.
final class BlockingPoolState<Resource, BatchItem: Sendable>: @unchecked Sendable {
    let mutex = BlockingMutex()
    var queue = CircularBuffer<BlockingJob<Resource, BatchItem>>()
    var threads = 0
    var started = 0
    /// Idle threads, the one that went idle last at the end.
    var sleepers: [BlockingSleeper] = []
    /// Threads woken or started that have not yet looked at the queue.
    var waking = 0
    var closed = false
    var exitWaiters: [CheckedContinuation<Void, Never>] = []
}

/// One call waiting for or running on a pool thread; every field is guarded by the pool's lock.
final class BlockingJob<Resource, BatchItem: Sendable>: @unchecked Sendable {
    enum State { case new, queued, running, cancelled }
    var state = State.new
    var work: (@Sendable (Resource) -> Void)?
    /// Set when the job may run inside a batch instead of through `work`.
    var batchItem: BatchItem?
    var abandon: (@Sendable (any Error) -> Void)?

    func markRunning() {
        self.state = .running
        self.work = nil
        self.batchItem = nil
        self.abandon = nil
    }

    /// If still queued: marks it cancelled and returns the function that fails its caller.
    func takeIfQueued() -> (@Sendable (any Error) -> Void)? {
        guard self.state == .queued else { return nil }
        self.state = .cancelled
        defer { self.work = nil; self.batchItem = nil; self.abandon = nil }
        return self.abandon
    }
}
