import AlgoProto
import RPC
import Synchronization

/// Submissions as an in-memory stand-in: creates, reads, lists (newest first, paged by id) and
/// rejudges, and records the calls Edge made so that tests can check what was forwarded.
final class FakeSubmissions: SubmissionsV1.SubmissionsHandler {
    struct State {
        var submissions: [Int64: SubmissionsV1.Submission] = [:]
        var nextID: Int64 = 1
        var creates: [SubmissionsV1.CreateSubmissionRequest] = []
        var rejudges: [SubmissionsV1.RejudgeRequest.Target] = []
    }

    let state = Mutex(State())
    let problems: FakeProblems

    init(problems: FakeProblems) {
        self.problems = problems
    }

    func createSubmission(_ request: SubmissionsV1.CreateSubmissionRequest, context: RPCServerContext) async throws -> SubmissionsV1.CreateSubmissionResponse {
        guard let problem = self.problems.state.withLock({ $0.problems[request.problemId] }) else { throw RPCError(.notFound, "no such problem") }
        guard problem.allowedLanguages.isEmpty || problem.allowedLanguages.contains(request.language) else {
            throw FakeProblems.invalid("language", "is not allowed for this problem")
        }
        return self.state.withLock { state in
            var submission = SubmissionsV1.Submission()
            submission.id = state.nextID
            state.nextID += 1
            submission.userId = request.userId
            submission.problemId = request.problemId
            submission.problemSlug = problem.slug
            submission.language = request.language
            submission.sourceCode = request.sourceCode
            submission.status = .queued
            submission.createdAtMs = 1_700_000_000_000 + submission.id
            state.submissions[submission.id] = submission
            state.creates.append(request)
            var response = SubmissionsV1.CreateSubmissionResponse()
            response.submission = submission
            return response
        }
    }

    /// Test hook: changes a stored submission (as judging would).
    func update(_ id: Int64, _ change: (inout SubmissionsV1.Submission) -> Void) {
        self.state.withLock { state in
            if var submission = state.submissions[id] {
                change(&submission)
                state.submissions[id] = submission
            }
        }
    }

    func getSubmission(_ request: SubmissionsV1.GetSubmissionRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetSubmissionResponse {
        guard let submission = self.state.withLock({ $0.submissions[request.submissionId] }) else { throw RPCError(.notFound, "no such submission") }
        var response = SubmissionsV1.GetSubmissionResponse()
        response.submission = submission
        return response
    }

    func listSubmissions(_ request: SubmissionsV1.ListSubmissionsRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListSubmissionsResponse {
        let before = Int64(request.page?.pageToken ?? "") ?? Int64.max
        let size = Int(request.page?.pageSize ?? 0) > 0 ? Int(request.page!.pageSize) : 20
        let matches = self.state.withLock { state in
            state.submissions.values.sorted { $0.id > $1.id }.filter { submission in
                submission.id < before
                    && (request.userId == 0 || submission.userId == request.userId)
                    && (request.problemId == 0 || submission.problemId == request.problemId)
                    && (request.verdicts.isEmpty || (submission.status == .done && request.verdicts.contains(submission.verdict)))
                    && (request.languages.isEmpty || request.languages.contains(submission.language))
            }
        }
        var response = SubmissionsV1.ListSubmissionsResponse()
        response.submissions = matches.prefix(size).map { submission in
            var summary = SubmissionsV1.SubmissionSummary()
            summary.id = submission.id
            summary.userId = submission.userId
            summary.problemId = submission.problemId
            summary.problemSlug = submission.problemSlug
            summary.language = submission.language
            summary.status = submission.status
            summary.verdict = submission.verdict
            summary.score = submission.score
            summary.maxCpuTimeMs = submission.maxCpuTimeMs
            summary.maxMemoryKb = submission.maxMemoryKb
            summary.createdAtMs = submission.createdAtMs
            return summary
        }
        var page = CommonV1.PageInfo()
        if matches.count > size, let last = response.submissions.last { page.nextPageToken = String(last.id) }
        response.page = page
        return response
    }

    func reportProgress(_ request: SubmissionsV1.ReportProgressRequest, context: RPCServerContext) async throws -> SubmissionsV1.ReportProgressResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func completeJudging(_ request: SubmissionsV1.CompleteJudgingRequest, context: RPCServerContext) async throws -> SubmissionsV1.CompleteJudgingResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func rejudge(_ request: SubmissionsV1.RejudgeRequest, context: RPCServerContext) async throws -> SubmissionsV1.RejudgeResponse {
        try self.state.withLock { state in
            var response = SubmissionsV1.RejudgeResponse()
            switch request.target {
            case .submissionId(let id):
                guard state.submissions[id] != nil else { throw RPCError(.notFound, "no such submission") }
                state.submissions[id]?.status = .queued
                response.queuedCount = 1
            case .problemId(let id):
                let ids = state.submissions.values.filter { $0.problemId == id }.map(\.id)
                for id in ids { state.submissions[id]?.status = .queued }
                response.queuedCount = Int64(ids.count)
            case nil:
                throw FakeProblems.invalid("target", "is required")
            }
            if let target = request.target { state.rejudges.append(target) }
            return response
        }
    }
}

/// JudgeService's RPC surface, for readiness only.
struct FakeJudge: JudgeV1.JudgeHandler {
    func getCapabilities(_ request: JudgeV1.GetCapabilitiesRequest, context: RPCServerContext) async throws -> JudgeV1.GetCapabilitiesResponse {
        .init()
    }

    func getQueueStats(_ request: JudgeV1.GetQueueStatsRequest, context: RPCServerContext) async throws -> JudgeV1.GetQueueStatsResponse {
        .init()
    }
}
