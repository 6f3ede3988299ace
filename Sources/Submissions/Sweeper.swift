import Logging
import ServiceLifecycle

/// Postgres is the truth, Redis only carries work: this background service finds submissions
/// still being judged whose job the stream no longer holds, and judges them again.
///
/// Every pass:
/// 1. jobs whose XADD failed (Redis was down at create) are added again, same job id: no judge
///    ever saw them;
/// 2. jobs silent for `staleAfter` (no enqueue, no progress report) that the stream holds
///    neither undelivered nor pending (acknowledged without a result, trimmed, or lost with
///    Redis' data) get a NEW job id, made current, and are enqueued; the old id turns stale, so a
///    judge still working on it cannot produce a second result. The attempt number stays: losing
///    a job is nobody's system error.
/// A judge working on a job reports progress, which keeps it from looking silent; a judge that
/// died leaves its entry pending, and other judges claim it (XAUTOCLAIM), not the sweeper.
struct Sweeper: Service {
    let jobs: JobStore
    let queue: JudgeQueue
    let dispatcher: JobDispatcher
    let events: EventPublisher
    let configuration: SweeperConfiguration
    let logger: Logger
    /// False until migrations ran; passes before that are skipped.
    let isReady: @Sendable () -> Bool

    struct Report: Sendable, Equatable {
        /// Jobs that had never reached the stream, now added.
        var enqueued = 0
        /// Lost jobs replaced by new ones.
        var replaced: [Int64] = []
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.configuration.interval)
                if self.isReady() { _ = await self.sweepOnce() }
            }
        }
    }

    /// One pass; failures are logged and the next pass tries again.
    func sweepOnce() async -> Report {
        var report = Report()
        do {
            let unqueued = try await self.jobs.claimUnenqueued(after: self.configuration.enqueueRetryAfter, limit: self.configuration.batchSize)
            report.enqueued = await self.dispatcher.enqueue(unqueued, logger: self.logger)

            let silent = try await self.jobs.silentJobs(after: self.configuration.staleAfter, limit: self.configuration.batchSize)
            guard !silent.isEmpty else { return report }
            let held = try await self.queue.holds(silent.map(\.entryID))
            var fresh: [QueuedJob] = []
            for (candidate, isHeld) in zip(silent, held) where !isHeld {
                if let job = try await self.jobs.replace(candidate.job, silentFor: self.configuration.staleAfter) {
                    fresh.append(job)
                }
            }
            if !fresh.isEmpty {
                self.logger.warning("judging again submissions whose job was lost", metadata: ["submissions": "\(fresh.map(\.submissionID))"])
                await self.dispatcher.enqueue(fresh, logger: self.logger)
                await self.events.publish(fresh.map { EventPublisher.queued($0.submissionID) })
            }
            report.replaced = fresh.map(\.submissionID)
        } catch {
            self.logger.warning("sweep failed; retrying next pass", metadata: ["error": "\(error)"])
        }
        return report
    }
}
