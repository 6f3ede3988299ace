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
    static func makeCurrent(_ job: QueuedJob, connection: PostgresConnection) throws {
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
}
