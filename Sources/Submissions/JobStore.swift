import AlgoProto
import Foundation
import ServiceKit

/// The judging side of a submission: jobs, progress, results, rejudges and the sweeper's queries.
///
/// Every change that depends on "which job is current" locks the submission row first
/// (`FOR UPDATE`), so a completion, a progress report, a rejudge and the sweeper never interleave
/// on one submission.
struct JobStore: Sendable {
    let pool: PostgresPool

    /// Notes that XADD put these jobs on the stream (a sign of life for the sweeper).
    func recordEnqueued(_ entries: [(jobID: String, entryID: String)]) async throws {
        guard !entries.isEmpty else { return }
        try await self.pool.execute(
            """
            UPDATE judge_jobs j SET stream_entry_id = u.entry, last_seen_at = now()
            FROM unnest($1::uuid[], $2::text[]) AS u(id, entry) WHERE j.id = u.id
            """,
            [postgresArray(entries.map(\.jobID)), postgresArray(entries.map(\.entryID))]
        )
    }

    // MARK: Progress

    enum ProgressOutcome: Sendable, Equatable {
        case notFound
        /// The submission belongs to another job: the judge abandons this one.
        case stale
        /// A report that would move progress backwards, or one for a finished submission.
        case unchanged
        case changed
    }

    struct Progress: Sendable {
        var status: SubmissionsV1.SubmissionStatus
        var currentTest: Int32
        var totalTests: Int32
    }

    func reportProgress(submissionID: Int64, jobID: String, _ progress: Progress) async throws -> ProgressOutcome {
        try await self.pool.withTransaction { connection in
            guard let row = try connection.query(
                "SELECT status, current_test, current_job_id::text AS job FROM submissions WHERE id = $1 FOR UPDATE", [submissionID]
            ).first else { return .notFound }
            guard try row.decode("job", as: String.self) == jobID else { return .stale }
            let status = StoredCodes.status(try row.decode("status"))
            guard status != .done else { return .unchanged }
            try connection.execute("UPDATE judge_jobs SET last_seen_at = now() WHERE id = $1::uuid", [jobID])
            // Reports may arrive out of order: only a later (status, test) pair is applied.
            let old = (StoredCodes.rank(status), try row.decode("current_test", as: Int32.self))
            guard (StoredCodes.rank(progress.status), progress.currentTest) > old else { return .unchanged }
            try connection.execute(
                "UPDATE submissions SET status = $2, current_test = $3, total_tests = $4 WHERE id = $1",
                [submissionID, StoredCodes.word(progress.status) ?? "running", progress.currentTest, progress.totalTests]
            )
            return .changed
        }
    }

    // MARK: Completion

    struct Completion: Sendable {
        var verdict: SubmissionsV1.Verdict
        var score: Double
        var maxScore: Double
        /// Already truncated.
        var compileOutput: String
        /// Already validated and truncated.
        var results: [SubmissionsV1.TestResult]
        /// 0: the version the job was created for.
        var testDataVersion: Int64
        var judgeWorker: String
    }

    enum CompletionOutcome: Sendable {
        case notFound
        case stale
        /// This job's result was already accepted; nothing changed.
        case repeated
        case done(SubmissionsV1.Submission)
        /// A system error with attempts left: the submission is QUEUED again under `job`.
        case retry(QueuedJob)
    }

    func complete(submissionID: Int64, jobID: String, _ completion: Completion, maxAttempts: Int32) async throws -> CompletionOutcome {
        try await self.pool.withTransaction { connection in
            guard let row = try connection.query(
                """
                SELECT current_job_id::text AS job, attempt, problem_id, language, test_data_version
                FROM submissions WHERE id = $1 FOR UPDATE
                """,
                [submissionID]
            ).first else { return .notFound }
            let completed = try connection.query(
                "SELECT completed_at IS NOT NULL AS completed FROM judge_jobs WHERE id = $1::uuid AND submission_id = $2",
                [jobID, submissionID]
            ).first
            // Checked before staleness: an accepted result stays accepted when repeated after a retry.
            if let completed, try completed.decode("completed", as: Bool.self) { return .repeated }
            guard try row.decode("job", as: String.self) == jobID else { return .stale }
            try connection.execute(
                "UPDATE judge_jobs SET completed_at = now(), verdict = $2, judge_worker = $3 WHERE id = $1::uuid",
                [jobID, StoredCodes.word(completion.verdict) ?? "", completion.judgeWorker]
            )
            let attempt = try row.decode("attempt", as: Int32.self)
            if completion.verdict == .se && attempt < maxAttempts {
                let job = QueuedJob(
                    jobID: UUID().uuidString.lowercased(), submissionID: submissionID, problemID: try row.decode("problem_id"),
                    language: try row.decode("language"), testDataVersion: try row.decode("test_data_version"), attempt: attempt + 1
                )
                try Self.makeCurrent(job, connection: connection)
                return .retry(job)
            }
            try connection.execute("DELETE FROM test_results WHERE submission_id = $1", [submissionID])
            if !completion.results.isEmpty {
                try connection.execute(
                    """
                    INSERT INTO test_results (submission_id, \(SubmissionRows.resultColumns))
                    SELECT $1, \(SubmissionRows.resultColumns) FROM jsonb_to_recordset($2::jsonb) AS r(
                        test_index integer, test_name text, group_name text, verdict text, cpu_time_ms integer,
                        wall_time_ms integer, memory_kb bigint, checker_message text, points double precision, exit_code integer)
                    """,
                    [submissionID, Self.json(completion.results)]
                )
            }
            let rows = try connection.query(
                """
                UPDATE submissions SET status = 'done', verdict = $2, score = $3, max_score = $4, compile_output = $5,
                    max_cpu_time_ms = $6, max_memory_kb = $7, test_data_version = coalesce(nullif($8, 0), test_data_version),
                    judge_worker = $9, current_test = total_tests, judged_at = now()
                WHERE id = $1 RETURNING \(SubmissionRows.columns)
                """,
                [
                    submissionID, StoredCodes.word(completion.verdict) ?? "SE", completion.score, completion.maxScore,
                    completion.compileOutput, completion.results.map(\.cpuTimeMs).max() ?? 0,
                    completion.results.map(\.memoryKb).max() ?? 0, completion.testDataVersion, completion.judgeWorker,
                ]
            )
            var submission = try SubmissionRows.submission(rows[0])
            submission.results = completion.results
            return .done(submission)
        }
    }

    /// Inserts `job` and makes it the submission's current one, with the submission QUEUED again
    /// from scratch. The caller holds the submission row's lock.
    private static func makeCurrent(_ job: QueuedJob, connection: PostgresConnection) throws {
        try connection.execute(
            "INSERT INTO judge_jobs (id, submission_id, attempt, test_data_version) VALUES ($1::uuid, $2, $3, $4)",
            [job.jobID, job.submissionID, job.attempt, job.testDataVersion]
        )
        try connection.execute(
            """
            UPDATE submissions SET current_job_id = $2::uuid, attempt = $3, test_data_version = $4,
                status = 'queued', current_test = 0, total_tests = 0
            WHERE id = $1
            """,
            [job.submissionID, job.jobID, job.attempt, job.testDataVersion]
        )
    }

    /// Results as a JSON array for `jsonb_to_recordset` (one statement however many tests).
    static func json(_ results: [SubmissionsV1.TestResult]) -> String {
        "[" + results.map { result in
            """
            {"test_index":\(result.testIndex),"test_name":\(JSONText.quote(result.testName)),\
            "group_name":\(JSONText.quote(result.group)),"verdict":\(JSONText.quote(StoredCodes.word(result.verdict) ?? "")),\
            "cpu_time_ms":\(result.cpuTimeMs),"wall_time_ms":\(result.wallTimeMs),"memory_kb":\(result.memoryKb),\
            "checker_message":\(JSONText.quote(result.checkerMessage)),"points":\(result.points),"exit_code":\(result.exitCode)}
            """
        }.joined(separator: ",") + "]"
    }

    // MARK: Rejudge

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

    // MARK: Sweeper

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
