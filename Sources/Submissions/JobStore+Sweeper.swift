import Foundation
import ServiceKit

/// The sweeper's queries: jobs that never reached the stream, and silent jobs it may have lost.
extension JobStore {
    /// Current jobs whose XADD failed (or never ran) at least `after` ago, claimed for another
    /// try: a concurrent sweeper (another replica) does not claim them again within `after`.
    func claimUnenqueued(after: Duration, limit: Int) async throws -> [QueuedJob] {
        try await self.pool.query(
            """
            UPDATE judge_jobs j SET enqueued_at = now()
            FROM submissions s
            WHERE s.current_job_id = j.id AND j.id IN (
                SELECT j2.id FROM judge_jobs j2 JOIN submissions s2 ON s2.current_job_id = j2.id
                WHERE s2.status <> 'done' AND j2.stream_entry_id IS NULL
                  AND j2.enqueued_at < now() - $1 * interval '1 millisecond'
                ORDER BY j2.enqueued_at LIMIT $2
                FOR UPDATE OF j2 SKIP LOCKED
            )
            RETURNING \(QueuedJob.columns)
            """,
            [after.wholeMilliseconds, limit]
        ).map(QueuedJob.init(row:))
    }

    struct EnqueuedJob: Sendable {
        var job: QueuedJob
        var entryID: String
    }

    /// Current jobs on the stream that showed no sign of life for `after`: candidates for the
    /// sweeper, which asks Redis whether the stream still holds them.
    func silentJobs(after: Duration, limit: Int) async throws -> [EnqueuedJob] {
        try await self.pool.query(
            """
            SELECT \(QueuedJob.columns), j.stream_entry_id FROM submissions s JOIN judge_jobs j ON j.id = s.current_job_id
            WHERE s.status <> 'done' AND j.stream_entry_id IS NOT NULL AND j.last_seen_at < now() - $1 * interval '1 millisecond'
            ORDER BY j.last_seen_at LIMIT $2
            """,
            [after.wholeMilliseconds, limit]
        ).map { EnqueuedJob(job: try QueuedJob(row: $0), entryID: try $0.decode("stream_entry_id")) }
    }

    /// Replaces a lost job by a new one (same attempt: losing a job is nobody's error), if it
    /// is still current, unfinished and silent; nil when something changed meanwhile.
    func replace(_ lost: QueuedJob, silentFor after: Duration) async throws -> QueuedJob? {
        try await self.pool.withTransaction { connection in
            let still = try connection.query(
                """
                SELECT 1 FROM submissions s JOIN judge_jobs j ON j.id = s.current_job_id
                WHERE s.id = $1 AND s.current_job_id = $2::uuid AND s.status <> 'done'
                  AND j.last_seen_at < now() - $3 * interval '1 millisecond'
                FOR UPDATE OF s
                """,
                [lost.submissionID, lost.jobID, after.wholeMilliseconds]
            )
            guard !still.isEmpty else { return nil }
            var job = lost
            job.jobID = UUID().uuidString.lowercased()
            try Self.makeCurrent(job, connection: connection)
            return job
        }
    }
}
