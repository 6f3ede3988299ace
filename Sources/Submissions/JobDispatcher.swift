import Logging

/// Puts jobs on the judge stream and records their entry ids (a sign of life for the sweeper).
struct JobDispatcher: Sendable {
    let jobs: JobStore
    let queue: JudgeQueue

    /// Redis being down is not the caller's problem: Postgres has the jobs and the sweeper
    /// enqueues them later. Returns how many made it onto the stream.
    @discardableResult
    func enqueue(_ jobs: [QueuedJob], logger: Logger) async -> Int {
        guard !jobs.isEmpty else { return 0 }
        let (added, error) = await self.queue.enqueue(jobs)
        if let error {
            logger.warning("enqueueing judge jobs failed; the sweeper retries", metadata: ["error": "\(error)", "jobs": "\(jobs.count - added.count)"])
        }
        do {
            try await self.jobs.recordEnqueued(added)
        } catch {
            // The entries are on the stream; unrecorded, the sweeper adds them once more later.
            logger.warning("recording enqueued jobs failed", metadata: ["error": "\(error)"])
        }
        return added.count
    }
}
