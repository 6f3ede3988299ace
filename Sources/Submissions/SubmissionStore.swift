import AlgoProto
import Foundation
import ServiceKit

/// Creating and reading submissions. Every query is parameterized; every call runs on the pool's
/// dedicated threads.
struct SubmissionStore: Sendable {
    let pool: PostgresPool

    struct NewSubmission: Sendable {
        var userID: Int64
        var problemID: Int64
        var problemSlug: String
        var language: String
        var sourceCode: String
        var testDataVersion: Int64
    }

    /// Stores the submission (QUEUED) and its first job in one transaction.
    func create(_ new: NewSubmission) async throws -> (SubmissionsV1.Submission, QueuedJob) {
        let jobID = UUID().uuidString.lowercased()
        return try await self.pool.withTransaction { connection in
            let rows = try connection.query(
                """
                INSERT INTO submissions (user_id, problem_id, problem_slug, language, source_code, test_data_version, current_job_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7::uuid) RETURNING \(SubmissionRows.columns)
                """,
                [new.userID, new.problemID, new.problemSlug, new.language, new.sourceCode, new.testDataVersion, jobID]
            )
            let submission = try SubmissionRows.submission(rows[0])
            try connection.execute(
                "INSERT INTO judge_jobs (id, submission_id, attempt, test_data_version) VALUES ($1::uuid, $2, 1, $3)",
                [jobID, submission.id, new.testDataVersion]
            )
            let job = QueuedJob(
                jobID: jobID, submissionID: submission.id, problemID: new.problemID, language: new.language,
                testDataVersion: new.testDataVersion, attempt: 1
            )
            return (submission, job)
        }
    }

    /// The whole submission with its per-test results, or nil.
    func find(id: Int64) async throws -> SubmissionsV1.Submission? {
        try await self.pool.withConnection { connection in
            guard let row = try connection.query("SELECT \(SubmissionRows.columns) FROM submissions WHERE id = $1", [id]).first else {
                return nil
            }
            var submission = try SubmissionRows.submission(row)
            submission.results = try connection.query(
                "SELECT \(SubmissionRows.resultColumns) FROM test_results WHERE submission_id = $1 ORDER BY test_index", [id]
            ).map(SubmissionRows.result)
            return submission
        }
    }

    struct Filter: Sendable {
        var userID: Int64 = 0
        var problemID: Int64 = 0
        /// Stored words ("AC", "" for not judged yet); empty means any.
        var verdicts: [String] = []
        var languages: [String] = []
        /// Only ids below this one (the page token's cursor).
        var before: Int64?
    }

    /// Newest first. The SQL names only the conditions in use, so each shape gets a plan that
    /// uses the right index (statements are prepared once per connection).
    func list(_ filter: Filter, limit: Int) async throws -> [SubmissionsV1.SubmissionSummary] {
        var conditions: [String] = []
        var binds: [any PostgresBindable] = []
        func bind(_ value: any PostgresBindable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if filter.userID != 0 { conditions.append("user_id = \(bind(filter.userID))") }
        if filter.problemID != 0 { conditions.append("problem_id = \(bind(filter.problemID))") }
        if !filter.verdicts.isEmpty { conditions.append("verdict = ANY(\(bind(postgresArray(filter.verdicts)))::text[])") }
        if !filter.languages.isEmpty { conditions.append("language = ANY(\(bind(postgresArray(filter.languages)))::text[])") }
        if let before = filter.before { conditions.append("id < \(bind(before))") }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(SubmissionRows.summaryColumns) FROM submissions \(condition) ORDER BY id DESC LIMIT \(bind(limit))"
        return try await self.pool.query(sql, binds).map(SubmissionRows.summary)
    }
}
