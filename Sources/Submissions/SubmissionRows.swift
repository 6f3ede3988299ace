import AlgoProto
import ServiceKit

/// Column lists and row → message conversions for the `submissions` schema.
enum SubmissionRows {
    /// Everything a list shows (no source).
    static let summaryColumns = """
        id, user_id, problem_id, problem_slug, language, status, verdict, score, max_cpu_time_ms, max_memory_kb,
        (extract(epoch from created_at) * 1000)::bigint AS created_at_ms
        """

    static let columns = summaryColumns + """
        , source_code, max_score, current_test, total_tests, compile_output, test_data_version, attempt,
        current_job_id::text AS current_job_id, (extract(epoch from judged_at) * 1000)::bigint AS judged_at_ms
        """

    static let resultColumns = """
        test_index, test_name, group_name, verdict, cpu_time_ms, wall_time_ms, memory_kb, checker_message, points, exit_code
        """

    static func summary(_ row: PostgresRow) throws -> SubmissionsV1.SubmissionSummary {
        var summary = SubmissionsV1.SubmissionSummary()
        summary.id = try row.decode("id")
        summary.userId = try row.decode("user_id")
        summary.problemId = try row.decode("problem_id")
        summary.problemSlug = try row.decode("problem_slug")
        summary.language = try row.decode("language")
        summary.status = StoredCodes.status(try row.decode("status"))
        summary.verdict = StoredCodes.verdict(try row.decode("verdict"))
        summary.score = try row.decode("score")
        summary.maxCpuTimeMs = try row.decode("max_cpu_time_ms")
        summary.maxMemoryKb = try row.decode("max_memory_kb")
        summary.createdAtMs = try row.decode("created_at_ms")
        return summary
    }

    /// The full submission without its per-test results (`results` adds them).
    static func submission(_ row: PostgresRow) throws -> SubmissionsV1.Submission {
        var submission = SubmissionsV1.Submission()
        submission.id = try row.decode("id")
        submission.userId = try row.decode("user_id")
        submission.problemId = try row.decode("problem_id")
        submission.problemSlug = try row.decode("problem_slug")
        submission.language = try row.decode("language")
        submission.sourceCode = try row.decode("source_code")
        submission.status = StoredCodes.status(try row.decode("status"))
        submission.verdict = StoredCodes.verdict(try row.decode("verdict"))
        submission.score = try row.decode("score")
        submission.maxScore = try row.decode("max_score")
        submission.currentTest = try row.decode("current_test")
        submission.totalTests = try row.decode("total_tests")
        submission.maxCpuTimeMs = try row.decode("max_cpu_time_ms")
        submission.maxMemoryKb = try row.decode("max_memory_kb")
        submission.compileOutput = try row.decode("compile_output")
        submission.testDataVersion = try row.decode("test_data_version")
        submission.createdAtMs = try row.decode("created_at_ms")
        submission.judgedAtMs = try row.decode("judged_at_ms", as: Int64?.self) ?? 0
        submission.attempts = try row.decode("attempt", as: Int32.self) - 1
        return submission
    }

    static func result(_ row: PostgresRow) throws -> SubmissionsV1.TestResult {
        var result = SubmissionsV1.TestResult()
        result.testIndex = try row.decode("test_index")
        result.testName = try row.decode("test_name")
        result.group = try row.decode("group_name")
        result.verdict = StoredCodes.verdict(try row.decode("verdict"))
        result.cpuTimeMs = try row.decode("cpu_time_ms")
        result.wallTimeMs = try row.decode("wall_time_ms")
        result.memoryKb = try row.decode("memory_kb")
        result.checkerMessage = try row.decode("checker_message")
        result.points = try row.decode("points")
        result.exitCode = try row.decode("exit_code")
        return result
    }

    /// What a live-update subscriber needs, from a full row.
    static func event(_ submission: SubmissionsV1.Submission) -> SubmissionsV1.SubmissionEvent {
        var event = SubmissionsV1.SubmissionEvent()
        event.submissionId = submission.id
        event.status = submission.status
        event.currentTest = submission.currentTest
        event.totalTests = submission.totalTests
        event.verdict = submission.verdict
        event.score = submission.score
        event.atMs = WallClock.nowMilliseconds()
        return event
    }
}
