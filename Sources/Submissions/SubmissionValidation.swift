import AlgoProto
import Foundation
import ServiceKit

/// Checks of incoming requests; each problem is a field violation named as in the request.
enum SubmissionValidation {
    static let maxSourceBytes = 64 * 1024
    static let maxCompileOutputBytes = 16 * 1024
    static let maxCheckerMessageBytes = 1024
    static let maxResults = 10_000

    static func create(_ request: SubmissionsV1.CreateSubmissionRequest) -> [CommonV1.FieldViolation] {
        var violations: [CommonV1.FieldViolation] = []
        if request.userId <= 0 { violations.append(.init("user_id", "must be a positive id")) }
        if request.problemId <= 0 { violations.append(.init("problem_id", "must be a positive id")) }
        if !StoredCodes.languages.contains(request.language) {
            violations.append(.init("language", "must be one of \(StoredCodes.languages.joined(separator: ", "))"))
        }
        if let problem = self.source(request.sourceCode) { violations.append(.init("source_code", problem)) }
        return violations
    }

    static func source(_ source: String) -> String? {
        if source.utf8.count > self.maxSourceBytes { return "must be at most \(self.maxSourceBytes) bytes (64 KiB)" }
        if source.allSatisfy(\.isWhitespace) { return "must not be empty" }
        // The protobuf decoder turns invalid UTF-8 into U+FFFD: that is the only trace left of it.
        if source.unicodeScalars.contains("\u{FFFD}") { return "must be valid UTF-8" }
        return nil
    }

    /// The canonical (lowercase) job id, or nil when it is not a UUID.
    static func jobID(_ text: String) -> String? {
        UUID(uuidString: text).map { $0.uuidString.lowercased() }
    }

    static func progress(_ request: SubmissionsV1.ReportProgressRequest) -> [CommonV1.FieldViolation] {
        var violations = self.job(submissionID: request.submissionId, jobID: request.jobId)
        if request.status != .compiling && request.status != .running {
            violations.append(.init("status", "must be COMPILING or RUNNING (results arrive through CompleteJudging)"))
        }
        if request.totalTests < 0 { violations.append(.init("total_tests", "must not be negative")) }
        if request.currentTest < 0 || request.currentTest > request.totalTests {
            violations.append(.init("current_test", "must be between 0 and total_tests"))
        }
        return violations
    }

    static func complete(_ request: SubmissionsV1.CompleteJudgingRequest) -> [CommonV1.FieldViolation] {
        var violations = self.job(submissionID: request.submissionId, jobID: request.jobId)
        let final = StoredCodes.verdicts.map(\.0).filter { $0 != .unspecified && $0 != .skipped }
        if !final.contains(request.verdict) { violations.append(.init("verdict", "must be a final verdict (AC … SE)")) }
        if !request.score.isFinite || request.score < 0 { violations.append(.init("score", "must be a finite number ≥ 0")) }
        if !request.maxScore.isFinite || request.maxScore < 0 { violations.append(.init("max_score", "must be a finite number ≥ 0")) }
        if request.testDataVersion < 0 { violations.append(.init("test_data_version", "must not be negative")) }
        if request.results.count > self.maxResults {
            violations.append(.init("results", "must have at most \(self.maxResults) entries"))
            return violations
        }
        for (index, result) in request.results.enumerated() {
            let field = "results[\(index)]"
            if StoredCodes.word(result.verdict) == nil || result.verdict == .unspecified {
                violations.append(.init("\(field).verdict", "must be a known verdict"))
            }
            if result.testIndex <= 0 { violations.append(.init("\(field).test_index", "must be 1 or more")) }
            if result.cpuTimeMs < 0 || result.wallTimeMs < 0 || result.memoryKb < 0 {
                violations.append(.init(field, "times and memory must not be negative"))
            }
            if !result.points.isFinite { violations.append(.init("\(field).points", "must be a finite number")) }
        }
        if Set(request.results.map(\.testIndex)).count != request.results.count {
            violations.append(.init("results", "test_index values must be unique"))
        }
        return violations
    }

    private static func job(submissionID: Int64, jobID: String) -> [CommonV1.FieldViolation] {
        var violations: [CommonV1.FieldViolation] = []
        if submissionID <= 0 { violations.append(.init("submission_id", "must be a positive id")) }
        if self.jobID(jobID) == nil { violations.append(.init("job_id", "must be the job's UUID")) }
        return violations
    }

    /// The results as stored: checker messages cut to 1 KiB.
    static func truncated(_ results: [SubmissionsV1.TestResult]) -> [SubmissionsV1.TestResult] {
        results.map { result in
            var result = result
            result.checkerMessage = result.checkerMessage.truncatedUTF8(maxBytes: self.maxCheckerMessageBytes)
            return result
        }
    }
}
