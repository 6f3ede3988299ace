import NIOCore

/// Runs tasks on a NIO event loop, so a handler's code and its response write share one thread.
///
/// This is the "one hop" of DESIGN §4: handlers start on the connection's loop instead of the
/// global pool. Handlers must not block (libpq, hiredis and hashing go to their own thread pools).
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
