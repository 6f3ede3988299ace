import AlgoProto

/// A submission as the API shows it. Everyone may see how a submission did; its source, compiler
/// output and checker messages (which can quote the source or the tests) are for its author and staff.
struct SubmissionResource: JSONResponseBody {
    var submission: SubmissionsV1.Submission
    var privileged: Bool

    init(_ submission: SubmissionsV1.Submission, viewer: Caller?) {
        self.submission = submission
        self.privileged = viewer.map { $0.isStaff || $0.id == submission.userId } ?? false
    }

    func write(to json: inout JSONWriter) {
        let submission = self.submission
        json.beginObject()
        json.field("id", submission.id)
        json.field("problem", submission.problemSlug)
        json.field("problem_id", submission.problemId)
        json.field("user_id", submission.userId)
        json.field("language", submission.language)
        SubmissionJSON.progress(status: submission.status, verdict: submission.verdict, score: submission.score, &json)
        json.field("max_score", submission.maxScore)
        json.field("current_test", submission.currentTest)
        json.field("total_tests", submission.totalTests)
        json.field("time_ms", submission.maxCpuTimeMs)
        json.field("memory_kb", submission.maxMemoryKb)
        json.field("tests", submission.results.map { TestResultJSON(result: $0, withMessage: self.privileged) })
        if self.privileged { json.field("compile_output", submission.compileOutput) } else { json.null("compile_output") }
        json.field("created_at", RFC3339.format(milliseconds: submission.createdAtMs))
        SubmissionJSON.time("judged_at", submission.judgedAtMs, &json)
        if self.privileged { json.field("source", submission.sourceCode) }
        json.endObject()
    }
}

private struct TestResultJSON: JSONResponseBody {
    var result: SubmissionsV1.TestResult
    var withMessage: Bool

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("index", self.result.testIndex)
        json.field("name", self.result.testName)
        json.field("group", self.result.group)
        ProblemResource.optionalName("verdict", Names.verdict.name(of: self.result.verdict), &json)
        json.field("time_ms", self.result.cpuTimeMs)
        json.field("wall_time_ms", self.result.wallTimeMs)
        json.field("memory_kb", self.result.memoryKb)
        // TestResult.exit_code carries a death by signal as minus the signal number.
        let code = self.result.exitCode
        if code >= 0 { json.field("exit_code", code) } else { json.null("exit_code") }
        if code < 0 { json.field("signal", -code) } else { json.null("signal") }
        if self.withMessage { json.field("checker_message", self.result.checkerMessage) } else { json.null("checker_message") }
        json.field("points", self.result.points)
        json.endObject()
    }
}

/// A submission in a list.
struct SubmissionSummaryResource: JSONResponseBody {
    var summary: SubmissionsV1.SubmissionSummary

    func write(to json: inout JSONWriter) {
        let summary = self.summary
        json.beginObject()
        json.field("id", summary.id)
        json.field("problem", summary.problemSlug)
        json.field("problem_id", summary.problemId)
        json.field("user_id", summary.userId)
        json.field("language", summary.language)
        SubmissionJSON.progress(status: summary.status, verdict: summary.verdict, score: summary.score, &json)
        json.field("time_ms", summary.maxCpuTimeMs)
        json.field("memory_kb", summary.maxMemoryKb)
        json.field("created_at", RFC3339.format(milliseconds: summary.createdAtMs))
        json.endObject()
    }
}

/// The data of an `event: status` line of the event stream.
struct SubmissionEventResource: JSONResponseBody {
    var event: SubmissionsV1.SubmissionEvent

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", self.event.submissionId)
        SubmissionJSON.progress(status: self.event.status, verdict: self.event.verdict, score: self.event.score, &json)
        json.field("current_test", self.event.currentTest)
        json.field("total_tests", self.event.totalTests)
        json.endObject()
    }
}

enum SubmissionJSON {
    /// `status`, `verdict` (null until done) and `score`.
    static func progress(status: SubmissionsV1.SubmissionStatus, verdict: SubmissionsV1.Verdict, score: Double, _ json: inout JSONWriter) {
        ProblemResource.optionalName("status", Names.status.name(of: status), &json)
        ProblemResource.optionalName("verdict", status == .done ? Names.verdict.name(of: verdict) : nil, &json)
        json.field("score", score)
    }

    /// An RFC 3339 time, or null for 0 (not yet).
    static func time(_ key: StaticString, _ milliseconds: Int64, _ json: inout JSONWriter) {
        if milliseconds > 0 { json.field(key, RFC3339.format(milliseconds: milliseconds)) } else { json.null(key) }
    }
}

/// POST /api/v1/submissions: the problem by slug, a judge language id, the source.
struct SubmissionBody: Decodable, Sendable {
    var problem: String?
    var language: String?
    var source: String?
}
