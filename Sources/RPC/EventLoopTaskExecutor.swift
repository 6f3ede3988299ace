import NIOConcurrencyHelpers
import NIOCore

/// Runs tasks on a NIO event loop, so a handler's code and its response write share one thread.
///
/// This is the "one hop" of DESIGN §4: handlers start on the connection's loop instead of the
/// global pool. Handlers must not block (libpq, hiredis and hashing go to their own thread pools).
///
/// Jobs queue here and one loop task runs every job that arrived before it: a read batch of 30
/// responses resumes 30 callers through one `execute`, instead of a closure allocation and a trip
/// through the loop's task queue per job.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    private struct Queue {
        var jobs: [UnownedJob] = []
        var drainScheduled = false
    }

    private let queue = NIOLockedValueBox(Queue())
    /// The drained batch's storage, reused by the next drain. Touched only on the loop, in `drain`.
    nonisolated(unsafe) private var spare: [UnownedJob] = []

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let scheduleDrain = self.queue.withLockedValue { queue in
            queue.jobs.append(job)
            guard !queue.drainScheduled else { return false }
            queue.drainScheduled = true
            return true
        }
        if scheduleDrain {
            self.eventLoop.execute { self.drain() }
        }
    }

    /// Runs the jobs queued so far; jobs they enqueue wait for the next drain, after the loop's
    /// other work, as they would have behind `execute`.
    private func drain() {
        var batch = self.spare
        self.spare = []
        self.queue.withLockedValue { queue in
            swap(&batch, &queue.jobs)
            queue.drainScheduled = false
        }
        let executor = self.asUnownedTaskExecutor()
        for job in batch {
            job.runSynchronously(on: executor)
        }
        batch.removeAll(keepingCapacity: true)
        self.spare = batch
    }
}
