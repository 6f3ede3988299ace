import AlgoProto
import JudgeCore
import Logging
import RPC

/// Judges one job end to end: claims it with Submissions, gathers the submission, the problem and
/// its test files, runs the engine and reports the result. Results are keyed by the job id, so a job
/// judged twice (a judge died after judging, before acknowledging) still ends with one result.
struct JobRunner: Sendable {
    enum Outcome: Equatable {
        /// The result is stored (or was already): acknowledge the entry.
        case completed
        /// The submission has moved on to another job: acknowledge and forget.
        case stale
        /// A dependency is down: leave the entry pending; it is claimed again after the idle time-out.
        case retryLater
    }

    let problems: ProblemsV1.ProblemsClient
    let submissions: SubmissionsV1.SubmissionsClient
    let cache: TestDataCache
    let engine: any SubmissionJudging
    let workerName: String
    let progressInterval: Duration
    let logger: Logger

    func run(_ job: JudgeV1.JudgeJob) async -> Outcome {
        var logger = self.logger
        logger[metadataKey: "submission"] = "\(job.submissionId)"
        logger[metadataKey: "job"] = "\(job.jobId)"
        do {
            if try await self.report(job, .compiling) { return .stale }
        } catch {
            logger.warning("cannot reach Submissions to start the job", metadata: ["error": "\(error)"])
            return .retryLater
        }

        let prepared: Prepared
        do {
            prepared = try await self.prepare(job)
        } catch let error as RPCError where [.unavailable, .deadlineExceeded, .resourceExhausted].contains(error.code) {
            logger.warning("a dependency is unavailable; the job will be retried", metadata: ["error": "\(error)"])
            return .retryLater
        } catch {
            // Ours, not the submission's: Submissions retries system errors with a new job.
            logger.error("cannot prepare the job", metadata: ["error": "\(error)"])
            let result = JudgeResult(verdict: .systemError, score: 0, maxScore: 0, compileOutput: "", tests: [])
            return await self.complete(job, result: result, testDataVersion: job.testDataVersion, logger: logger)
        }
        defer { Task { await self.cache.release(prepared.hashes) } }

        let submissions = self.submissions
        let throttle = ProgressThrottle(interval: self.progressInterval)
        let result = await self.engine.judge(prepared.request) { progress in
            guard case .running(let test, let total) = progress, throttle.shouldSend() else { return }
            var request = SubmissionsV1.ReportProgressRequest()
            request.submissionId = job.submissionId
            request.jobId = job.jobId
            request.status = .running
            request.currentTest = Int32(test)
            request.totalTests = Int32(total)
            // Progress is advisory: a lost report only delays the live view.
            _ = try? await submissions.reportProgress(request, options: RPCCallOptions(timeout: .seconds(5)))
        }
        logger.info("judged", metadata: ["verdict": "\(result.verdict.rawValue)", "score": "\(result.score)"])
        return await self.complete(job, result: result, testDataVersion: prepared.testDataVersion, logger: logger)
    }

    private struct Prepared {
        var request: JudgeRequest
        var hashes: [String]
        var testDataVersion: Int64
    }

    private func prepare(_ job: JudgeV1.JudgeJob) async throws -> Prepared {
        let options = RPCCallOptions(timeout: .seconds(10))
        var submissionRequest = SubmissionsV1.GetSubmissionRequest()
        submissionRequest.submissionId = job.submissionId
        guard let submission = try await self.submissions.getSubmission(submissionRequest, options: options).submission else {
            throw JobError(description: "submission \(job.submissionId) came back empty")
        }

        var problemRequest = ProblemsV1.GetProblemRequest()
        problemRequest.key = .id(job.problemId)
        guard let problem = try await self.problems.getProblem(problemRequest, options: options).problem else {
            throw JobError(description: "problem \(job.problemId) came back empty")
        }

        var templatesRequest = ProblemsV1.GetTemplatesRequest()
        templatesRequest.problemId = job.problemId
        templatesRequest.language = submission.language
        templatesRequest.includeWrapper = true
        let wrapper = try await self.problems.getTemplates(templatesRequest, options: options).templates
            .first { $0.language == submission.language }?.wrapperCode

        var infoRequest = ProblemsV1.GetTestDataInfoRequest()
        infoRequest.problemId = job.problemId
        infoRequest.version = job.testDataVersion
        guard let info = try await self.problems.getTestDataInfo(infoRequest, options: options).info, !info.tests.isEmpty else {
            throw JobError(description: "problem \(job.problemId) has no test data")
        }

        var files: [(sha256: String, size: Int64)] = []
        for test in info.tests {
            files.append((test.inputSha256, test.inputSize))
            files.append((test.answerSha256, test.answerSize))
        }
        let paths = try await self.cache.acquire(files)
        let pairs = stride(from: 0, to: paths.count, by: 2).map { (input: paths[$0], answer: paths[$0 + 1]) }
        return Prepared(
            request: JudgeRequest(submission: submission, problem: problem, wrapper: wrapper, tests: info.tests, paths: pairs),
            hashes: files.map(\.sha256),
            testDataVersion: info.version
        )
    }

    /// Returns true when the job is stale.
    private func report(_ job: JudgeV1.JudgeJob, _ status: SubmissionsV1.SubmissionStatus) async throws -> Bool {
        var request = SubmissionsV1.ReportProgressRequest()
        request.submissionId = job.submissionId
        request.jobId = job.jobId
        request.status = status
        return try await self.submissions.reportProgress(request, options: RPCCallOptions(timeout: .seconds(10))).staleJob
    }

    /// CompleteJudging is idempotent by job id, so it is retried freely for a while; after that the
    /// entry stays pending and the job is judged again later (with the same id).
    private func complete(_ job: JudgeV1.JudgeJob, result: JudgeResult, testDataVersion: Int64, logger: Logger) async -> Outcome {
        let request = SubmissionsV1.CompleteJudgingRequest(job: job, result: result, testDataVersion: testDataVersion, worker: self.workerName)
        var delay = Duration.milliseconds(200)
        for attempt in 1...6 {
            do {
                let response = try await self.submissions.completeJudging(request, options: RPCCallOptions(timeout: .seconds(10)))
                return response.staleJob ? .stale : .completed
            } catch {
                logger.warning("cannot store the result", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return .retryLater
    }

    struct JobError: Error, CustomStringConvertible {
        var description: String
    }
}
