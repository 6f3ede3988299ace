import AlgoProto
import ServiceKit

/// A judging attempt as the stores hand it to the queue: one row of `judge_jobs`.
struct QueuedJob: Sendable, Hashable {
    var jobID: String
    var submissionID: Int64
    var problemID: Int64
    var language: String
    var testDataVersion: Int64
    var attempt: Int32

    /// The stream entry's payload (field "job").
    var message: JudgeV1.JudgeJob {
        var job = JudgeV1.JudgeJob()
        job.jobId = self.jobID
        job.submissionId = self.submissionID
        job.problemId = self.problemID
        job.language = self.language
        job.testDataVersion = self.testDataVersion
        job.enqueuedAtMs = WallClock.nowMilliseconds()
        job.attempt = self.attempt
        return job
    }

    /// Selects what `init(row:)` reads, from `submissions s` joined with `judge_jobs j`.
    static let columns = """
        j.id::text AS job_id, s.id AS submission_id, s.problem_id, s.language, j.test_data_version, j.attempt
        """

    init(jobID: String, submissionID: Int64, problemID: Int64, language: String, testDataVersion: Int64, attempt: Int32) {
        self.jobID = jobID
        self.submissionID = submissionID
        self.problemID = problemID
        self.language = language
        self.testDataVersion = testDataVersion
        self.attempt = attempt
    }

    init(row: PostgresRow) throws {
        self.jobID = try row.decode("job_id")
        self.submissionID = try row.decode("submission_id")
        self.problemID = try row.decode("problem_id")
        self.language = try row.decode("language")
        self.testDataVersion = try row.decode("test_data_version")
        self.attempt = try row.decode("attempt")
    }
}

/// A PostgreSQL array literal for a `$n::text[]` parameter: every element quoted and escaped.
func postgresArray(_ items: [String]) -> String {
    var out = "{"
    for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        out += "\""
        for character in item {
            if character == "\\" || character == "\"" { out += "\\" }
            out.append(character)
        }
        out += "\""
    }
    return out + "}"
}
