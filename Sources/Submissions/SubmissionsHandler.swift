import AlgoProto
import Logging
import RPC
import ServiceKit

/// The Submissions service: submissions of classic problems and their judging.
///
/// Edge authenticates the end user and decides who sees what (the source, rejudges); the judge
/// reports through ReportProgress and CompleteJudging, keyed by job id so that only the current
/// job of a submission counts, once.
struct SubmissionsHandler: SubmissionsV1.SubmissionsHandler {
    let submissions: SubmissionStore
    let jobs: JobStore
    let dispatcher: JobDispatcher
    let events: EventPublisher
    let problems: ProblemDirectory
    let seMaxAttempts: Int32

    func createSubmission(
        _ request: SubmissionsV1.CreateSubmissionRequest, context: RPCServerContext
    ) async throws -> SubmissionsV1.CreateSubmissionResponse {
        let violations = SubmissionValidation.create(request)
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        let problem = try await self.problems.problem(id: request.problemId)
        guard problem.acceptsSubmissions(from: request.userId, isStaff: request.callerIsStaff) else {
            throw RPCError(.notFound, "no problem with id \(request.problemId)")
        }
        guard problem.submissionLanguages.contains(request.language) else {
            throw RPCError.invalid("language", "is not allowed for this problem (allowed: \(problem.submissionLanguages.joined(separator: ", ")))")
        }
        guard problem.testDataVersion > 0 else {
            throw RPCError(.failedPrecondition, "problem \(problem.slug) has no test data yet")
        }
        let new = SubmissionStore.NewSubmission(
            userID: request.userId, problemID: problem.id, problemSlug: problem.slug, language: request.language,
            sourceCode: request.sourceCode, testDataVersion: problem.testDataVersion
        )
        let (submission, job) = try await storage { try await self.submissions.create(new) }
        context.logger.info("submission created", metadata: ["submission_id": "\(submission.id)", "job_id": "\(job.jobID)"])
        await self.dispatcher.enqueue([job], logger: context.logger)
        await self.events.publish([EventPublisher.queued(submission.id)])
        var response = SubmissionsV1.CreateSubmissionResponse()
        response.submission = submission
        return response
    }

    func getSubmission(_ request: SubmissionsV1.GetSubmissionRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetSubmissionResponse {
        guard request.submissionId > 0 else { throw RPCError.invalid("submission_id", "must be a positive id") }
        guard let submission = try await storage({ try await self.submissions.find(id: request.submissionId) }) else {
            throw RPCError(.notFound, "no submission with id \(request.submissionId)")
        }
        var response = SubmissionsV1.GetSubmissionResponse()
        response.submission = submission
        return response
    }

    func listSubmissions(_ request: SubmissionsV1.ListSubmissionsRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListSubmissionsResponse {
        var violations: [CommonV1.FieldViolation] = []
        var filter = SubmissionStore.Filter(userID: request.userId, problemID: request.problemId)
        if request.userId < 0 { violations.append(.init("user_id", "must be 0 (any) or a positive id")) }
        if request.problemId < 0 { violations.append(.init("problem_id", "must be 0 (any) or a positive id")) }
        let page = request.page ?? CommonV1.PageRequest()
        if page.pageSize < 0 { violations.append(.init("page.page_size", "must not be negative")) }
        if !page.pageToken.isEmpty {
            filter.before = PageToken.decode(page.pageToken)
            if filter.before == nil { violations.append(.init("page.page_token", "is not a token this service issued")) }
        }
        if request.verdicts.count > 16 || request.languages.count > 16 {
            violations.append(.init("verdicts", "at most 16 verdicts and 16 languages per filter"))
        }
        for verdict in request.verdicts {
            guard let word = StoredCodes.word(verdict) else {
                violations.append(.init("verdicts", "has an unknown verdict \(verdict.rawValue)"))
                continue
            }
            filter.verdicts.append(word)
        }
        for language in request.languages where !StoredCodes.languages.contains(language) {
            violations.append(.init("languages", "must be among \(StoredCodes.languages.joined(separator: ", "))"))
        }
        filter.languages = request.languages
        guard violations.isEmpty else { throw RPCError.invalid(violations) }

        let size = PageToken.size(page.pageSize)
        // One row more than asked tells whether another page exists.
        var rows = try await storage { try await self.submissions.list(filter, limit: size + 1) }
        var response = SubmissionsV1.ListSubmissionsResponse()
        response.page = PageToken.info(&rows, size: size, id: \.id)
        response.submissions = rows
        return response
    }

    func reportProgress(_ request: SubmissionsV1.ReportProgressRequest, context: RPCServerContext) async throws -> SubmissionsV1.ReportProgressResponse {
        let violations = SubmissionValidation.progress(request)
        guard violations.isEmpty, let jobID = SubmissionValidation.jobID(request.jobId) else { throw RPCError.invalid(violations) }
        let progress = JobStore.Progress(status: request.status, currentTest: request.currentTest, totalTests: request.totalTests)
        let outcome = try await storage { try await self.jobs.reportProgress(submissionID: request.submissionId, jobID: jobID, progress) }
        var response = SubmissionsV1.ReportProgressResponse()
        switch outcome {
        case .notFound:
            throw RPCError(.notFound, "no submission with id \(request.submissionId)")
        case .stale:
            response.staleJob = true
        case .unchanged:
            break
        case .changed:
            var event = SubmissionsV1.SubmissionEvent()
            event.submissionId = request.submissionId
            event.status = request.status
            event.currentTest = request.currentTest
            event.totalTests = request.totalTests
            event.atMs = WallClock.nowMilliseconds()
            await self.events.publish([event])
        }
        return response
    }

    func completeJudging(
        _ request: SubmissionsV1.CompleteJudgingRequest, context: RPCServerContext
    ) async throws -> SubmissionsV1.CompleteJudgingResponse {
        let violations = SubmissionValidation.complete(request)
        guard violations.isEmpty, let jobID = SubmissionValidation.jobID(request.jobId) else { throw RPCError.invalid(violations) }
        let completion = JobStore.Completion(
            verdict: request.verdict, score: request.score, maxScore: request.maxScore,
            compileOutput: request.compileOutput.truncatedUTF8(maxBytes: SubmissionValidation.maxCompileOutputBytes),
            results: SubmissionValidation.truncated(request.results), testDataVersion: request.testDataVersion,
            judgeWorker: request.judgeWorker.truncatedUTF8(maxBytes: 256)
        )
        let outcome = try await storage {
            try await self.jobs.complete(submissionID: request.submissionId, jobID: jobID, completion, maxAttempts: self.seMaxAttempts)
        }
        var response = SubmissionsV1.CompleteJudgingResponse()
        let metadata: Logger.Metadata = ["submission_id": "\(request.submissionId)", "job_id": "\(jobID)", "worker": "\(request.judgeWorker)"]
        switch outcome {
        case .notFound:
            throw RPCError(.notFound, "no submission with id \(request.submissionId)")
        case .stale:
            context.logger.info("stale result dropped", metadata: metadata)
            response.staleJob = true
        case .repeated:
            context.logger.debug("repeated result ignored", metadata: metadata)
        case .retry(let job):
            context.logger.warning("system error; judging again", metadata: metadata.merging(["attempt": "\(job.attempt)"]) { $1 })
            await self.dispatcher.enqueue([job], logger: context.logger)
            await self.events.publish([EventPublisher.queued(request.submissionId)])
        case .done(let submission):
            context.logger.info("submission judged", metadata: metadata.merging(["verdict": "\(submission.verdict)"]) { $1 })
            await self.events.publish([SubmissionRows.event(submission)])
        }
        return response
    }

    func rejudge(_ request: SubmissionsV1.RejudgeRequest, context: RPCServerContext) async throws -> SubmissionsV1.RejudgeResponse {
        // Edge lets only staff through; a call made for an ordinary user is refused here too.
        if let role = context.metadata.userRole, role != "staff" && role != "admin" {
            throw RPCError(.permissionDenied, "only staff can rejudge")
        }
        let target: JobStore.RejudgeTarget
        let problemID: Int64
        switch request.target {
        case .submissionId(let id)?:
            guard id > 0 else { throw RPCError.invalid("submission_id", "must be a positive id") }
            guard let owner = try await storage({ try await self.jobs.problemID(ofSubmission: id) }) else {
                throw RPCError(.notFound, "no submission with id \(id)")
            }
            target = .submission(id)
            problemID = owner
        case .problemId(let id)?:
            guard id > 0 else { throw RPCError.invalid("problem_id", "must be a positive id") }
            target = .problem(id)
            problemID = id
        case nil:
            throw RPCError.invalid("target", "submission_id or problem_id is required")
        }
        // Rejudging is usually about fixed tests: judge against the problem's current version.
        let problem = try await self.problems.problem(id: problemID)
        let jobs = try await storage { try await self.jobs.rejudge(target, testDataVersion: problem.testDataVersion) }
        context.logger.notice("rejudge", metadata: ["problem_id": "\(problemID)", "submissions": "\(jobs.count)"])
        await self.dispatcher.enqueue(jobs, logger: context.logger)
        await self.events.publish(jobs.map { EventPublisher.queued($0.submissionID) })
        var response = SubmissionsV1.RejudgeResponse()
        response.queuedCount = Int64(jobs.count)
        return response
    }
}
