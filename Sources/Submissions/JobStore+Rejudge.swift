import AlgoProto
import ServiceKit

/// Rejudges: every targeted submission gets a new current job.
extension JobStore {
    enum RejudgeTarget: Sendable {
        case submission(Int64)
        case problem(Int64)
    }

    /// Resets every targeted submission to QUEUED under a new job (attempt 1, the given test
    /// data version) and drops its old results. Jobs of earlier judgings become stale.
    func rejudge(_ target: RejudgeTarget, testDataVersion: Int64) async throws -> [QueuedJob] {
        let (condition, id): (String, Int64) =
            switch target {
            case .submission(let id): ("id = $1", id)
            case .problem(let id): ("problem_id = $1", id)
            }
        return try await self.pool.withTransaction { connection in
            let targets = try connection.query(
                "SELECT id, problem_id, language FROM submissions WHERE \(condition) ORDER BY id FOR UPDATE", [id]
            )
            guard !targets.isEmpty else { return [] }
            try connection.execute(
                "DELETE FROM test_results WHERE submission_id IN (SELECT id FROM submissions WHERE \(condition))", [id]
            )
            let rows = try connection.query(
                """
                WITH fresh AS (
                    INSERT INTO judge_jobs (id, submission_id, attempt, test_data_version)
                    SELECT gen_random_uuid(), id, 1, $2 FROM submissions WHERE \(condition)
                    RETURNING id, submission_id
                )
                UPDATE submissions s SET current_job_id = fresh.id, attempt = 1, test_data_version = $2, status = 'queued',
                    verdict = '', score = 0, max_score = 0, current_test = 0, total_tests = 0, max_cpu_time_ms = 0,
                    max_memory_kb = 0, compile_output = '', judge_worker = '', judged_at = NULL
                FROM fresh WHERE s.id = fresh.submission_id
                RETURNING fresh.id::text AS job_id, s.id AS submission_id, s.problem_id, s.language, s.test_data_version, s.attempt
                """,
                [id, testDataVersion]
            )
            return try rows.map(QueuedJob.init(row:))
        }
    }

    /// The problem a submission belongs to, for a rejudge of one submission.
    func problemID(ofSubmission id: Int64) async throws -> Int64? {
        try await self.pool.query("SELECT problem_id FROM submissions WHERE id = $1", [id]).first?.decode("problem_id")
    }
}
