import AlgoProto
import Hummingbird
import RPC

/// `/api/v1/submissions`: submitting, results, lists and rejudges. How a submission did is public;
/// its source is its author's and staff's (``SubmissionResource``).
struct SubmissionsController: Sendable {
    let submissions: SubmissionsV1.SubmissionsClient
    let access: ProblemAccess
    let lookup: UserLookup
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator
    let limiter: RateLimiter
    let submitRule: RateLimiter.Rule

    /// The Submissions service's limit too; checked here so that an oversized source costs no call.
    static let maximumSourceBytes = 64 << 10

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.createSubmission, use: self.create)
        router.on(.listSubmissions, use: self.list)
        router.on(.getSubmission, use: self.get)
        router.on(.rejudgeSubmission, use: self.rejudge)
    }

    @Sendable func create(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let body = try await self.body.decode(SubmissionBody.self, from: request)
        var fields = RequiredFields()
        let slug = fields.require(body.problem, "problem")
        let language = fields.require(body.language, "language")
        let source = fields.require(body.source, "source")
        if source.utf8.count > Self.maximumSourceBytes { fields.add("source", "must be at most \(Self.maximumSourceBytes) bytes long") }
        if slug.utf8.count > 64 { fields.add("problem", "no such problem") }
        try fields.check()
        try await self.limiter.hit(self.submitRule, subject: String(caller.id), logger: context.logger)
        let problem: ProblemsV1.Problem
        do {
            problem = try await self.access.load(slug: slug, viewer: caller, context: context)
        } catch let error as Problem where error.type == .notFound {
            throw Problem.field("problem", "no such problem")
        } catch let error as RPCError where error.code == .notFound {
            throw Problem.field("problem", "no such problem")
        }
        var call = SubmissionsV1.CreateSubmissionRequest()
        call.userId = caller.id
        call.problemId = problem.id
        call.language = language
        call.sourceCode = source
        call.callerIsStaff = caller.isStaff
        let response = try await self.submissions.createSubmission(call, options: self.upstream.callOptions(context, caller: caller))
        guard let submission = response.submission else { throw Problem.internalError }
        return .json(
            SubmissionResource(submission, viewer: caller),
            status: .accepted,
            headers: [.location: "/api/v1/submissions/\(submission.id)"]
        )
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        let submission = try await self.load(try Self.id(context), viewer: viewer, context: context)
        return .json(SubmissionResource(submission, viewer: viewer))
    }

    /// Filters: `problem` (slug), `user` (username), `verdict`, `language` (repeatable or comma lists).
    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        var query = ListQuery(request)
        var call = SubmissionsV1.ListSubmissionsRequest()
        call.page = query.page()
        call.verdicts = query.list("verdict", Names.verdict)
        call.languages = query.list("language")
        let slug = query.text("problem", maxBytes: 64)
        let username = query.text("user", maxBytes: 64)
        try query.check()
        let empty = Response.json(PageResource<SubmissionSummaryResource>(items: [], nextPageToken: ""))
        if let slug {
            // A problem the viewer cannot see has no submissions they can list.
            do {
                call.problemId = try await self.access.load(slug: slug, viewer: viewer, context: context).id
            } catch let error as Problem where error.type == .notFound {
                return empty
            } catch let error as RPCError where error.code == .notFound {
                return empty
            }
        }
        if let username {
            guard let id = try await self.lookup.id(username, viewer: viewer, context: context) else { return empty }
            call.userId = id
        }
        let response = try await self.submissions.listSubmissions(call, options: self.upstream.callOptions(context, caller: viewer))
        return .json(PageResource(items: response.submissions.map(SubmissionSummaryResource.init), nextPageToken: response.page?.nextPageToken ?? ""))
    }

    @Sendable func rejudge(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can rejudge.") }
        var call = SubmissionsV1.RejudgeRequest()
        call.target = .submissionId(try Self.id(context))
        let response = try await self.submissions.rejudge(call, options: self.upstream.callOptions(context, caller: caller))
        return .json(RejudgeResource(queued: response.queuedCount), status: .accepted)
    }

    func load(_ id: Int64, viewer: Caller?, context: EdgeRequestContext) async throws -> SubmissionsV1.Submission {
        var call = SubmissionsV1.GetSubmissionRequest()
        call.submissionId = id
        guard let submission = try await self.submissions.getSubmission(call, options: self.upstream.callOptions(context, caller: viewer)).submission else {
            throw Problem.internalError
        }
        return submission
    }

    /// The `{id}` path segment: a positive integer, or 400 as on every other route with a numeric id.
    static func id(_ context: EdgeRequestContext) throws -> Int64 {
        try PathID.parse(context, of: "submission")
    }
}
