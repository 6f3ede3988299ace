import AlgoProto
import Foundation
import Logging
import ServiceKit

/// The match stream's bookkeeping, as `JobStore` keeps it for submissions: entry ids recorded
/// after XADD, matches whose XADD failed, and silent matches the stream may have lost.
extension MatchStore {
    func recordEnqueued(_ entries: [(jobID: String, entryID: String)]) async throws {
        guard !entries.isEmpty else { return }
        try await self.pool.execute(
            """
            UPDATE matches m SET stream_entry_id = u.entry, last_seen_at = now()
            FROM unnest($1::uuid[], $2::text[]) AS u(id, entry) WHERE m.current_job_id = u.id
            """,
            [postgresArray(entries.map(\.jobID)), postgresArray(entries.map(\.entryID))]
        )
    }

    /// Unfinished matches whose XADD failed at least `after` ago, claimed for another try.
    func claimUnenqueued(after: Duration, limit: Int) async throws -> [QueuedMatch] {
        try await self.pool.query(
            """
            UPDATE matches SET enqueued_at = now() WHERE id IN (
                SELECT id FROM matches WHERE status IN ('queued', 'running') AND stream_entry_id IS NULL
                  AND enqueued_at < now() - $1 * interval '1 millisecond'
                ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED
            )
            RETURNING current_job_id::text AS job_id, id, attempt
            """,
            [after.wholeMilliseconds, limit]
        ).map { QueuedMatch(jobID: try $0.decode("job_id"), matchID: try $0.decode("id"), attempt: try $0.decode("attempt")) }
    }

    /// Unfinished matches on the stream with no sign of life for `after`.
    func silentMatches(after: Duration, limit: Int) async throws -> [(match: QueuedMatch, entryID: String)] {
        try await self.pool.query(
            """
            SELECT current_job_id::text AS job_id, id, attempt, stream_entry_id FROM matches
            WHERE status IN ('queued', 'running') AND stream_entry_id IS NOT NULL
              AND last_seen_at < now() - $1 * interval '1 millisecond'
            ORDER BY last_seen_at LIMIT $2
            """,
            [after.wholeMilliseconds, limit]
        ).map {
            (QueuedMatch(jobID: try $0.decode("job_id"), matchID: try $0.decode("id"), attempt: try $0.decode("attempt")),
             try $0.decode("stream_entry_id"))
        }
    }

    /// Gives a lost match a new job (same attempt: losing it is nobody's error) if it is still
    /// current, unfinished and silent; nil when something changed meanwhile.
    func replace(_ lost: QueuedMatch, silentFor after: Duration) async throws -> QueuedMatch? {
        try await self.pool.withTransaction { connection in
            let still = try connection.query(
                """
                SELECT 1 FROM matches WHERE id = $1 AND current_job_id = $2::uuid AND status IN ('queued', 'running')
                  AND last_seen_at < now() - $3 * interval '1 millisecond' FOR UPDATE
                """,
                [lost.matchID, lost.jobID, after.wholeMilliseconds]
            )
            guard !still.isEmpty else { return nil }
            var job = lost
            job.jobID = UUID().uuidString.lowercased()
            try connection.execute("INSERT INTO match_jobs (id, match_id, attempt) VALUES ($1::uuid, $2, $3)", [job.jobID, job.matchID, job.attempt])
            try connection.execute(
                """
                UPDATE matches SET current_job_id = $2::uuid, status = 'queued', stream_entry_id = NULL, enqueued_at = now(), last_seen_at = now()
                WHERE id = $1
                """,
                [job.matchID, job.jobID]
            )
            return job
        }
    }
}

/// Puts matches on the match stream and records their entry ids; Redis being down is left to
/// the scheduler's sweep, which enqueues them later (PostgreSQL has them).
struct MatchDispatcher: Sendable {
    let matches: MatchStore
    let queue: JudgeQueue
    let events: EventPublisher

    @discardableResult
    func enqueue(_ jobs: [QueuedMatch], logger: Logger) async -> Int {
        guard !jobs.isEmpty else { return 0 }
        let (added, error) = await self.queue.enqueue(jobs.map { ($0.jobID, $0.message.serializedBytes()) })
        if let error {
            logger.warning("enqueueing matches failed; the sweep retries", metadata: ["error": "\(error)", "matches": "\(jobs.count - added.count)"])
        }
        do {
            try await self.matches.recordEnqueued(added)
        } catch {
            logger.warning("recording enqueued matches failed", metadata: ["error": "\(error)"])
        }
        await self.events.publishMatches(jobs.map { EventPublisher.matchEvent($0.matchID, .queued) })
        return added.count
    }
}
