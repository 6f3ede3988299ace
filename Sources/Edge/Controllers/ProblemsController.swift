import AlgoProto
import Hummingbird
import RPC

/// `/api/v1/problems`: the catalogue, problem pages, and editing (staff and authors).
struct ProblemsController: Sendable {
    let access: ProblemAccess
    let lookup: UserLookup
    let submissions: SubmissionsV1.SubmissionsClient
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator

    var problems: ProblemsV1.ProblemsClient { self.access.problems }

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.listProblems, use: self.list)
        router.on(.createProblem, use: self.create)
        router.on(.getProblem, use: self.get)
        router.on(.updateProblem, use: self.update)
        router.on(.rejudgeProblem, use: self.rejudge)
    }

    /// Anonymous callers and users see public problems (users also their own drafts); staff see all.
    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        var query = ListQuery(request)
        var call = ProblemsV1.ListProblemsRequest()
        call.page = query.page()
        call.tags = query.list("tag")
        call.difficulties = query.list("difficulty", Names.difficulty)
        call.query = query.text("q") ?? ""
        let author = query.text("author", maxBytes: 64)
        try query.check()
        if let viewer, viewer.isStaff {
            call.visibility = .unspecified
        } else {
            call.visibility = .public
            call.includeDraftsOf = viewer?.id ?? 0
        }
        if let author {
            guard let id = try await self.lookup.id(author, viewer: viewer, context: context) else {
                return .json(PageResource<ProblemSummaryResource>(items: [], nextPageToken: ""))
            }
            call.authorId = id
        }
        let response = try await self.problems.listProblems(call, options: self.upstream.callOptions(context, caller: viewer))
        return .json(PageResource(items: response.problems.map(ProblemSummaryResource.init), nextPageToken: response.page?.nextPageToken ?? ""))
    }

    @Sendable func create(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can create problems.") }
        let body = try await self.body.decode(ProblemBody.self, from: request)
        var fields = RequiredFields()
        _ = fields.require(body.slug, "slug")
        _ = fields.require(body.title, "title")
        // Defaults for what a new draft rarely sets; the service checks ranges and formats.
        var problem = ProblemsV1.Problem()
        problem.visibility = .draft
        problem.timeLimitMs = 1000
        problem.memoryLimitMb = 256
        problem.checker = .init()
        problem.checker?.kind = .tokens
        problem.scoring = .init()
        problem.scoring?.kind = .icpc
        body.apply(to: &problem, &fields)
        try fields.check()
        problem.authorIds = [caller.id]
        var call = ProblemsV1.CreateProblemRequest()
        call.problem = problem
        let response = try await self.problems.createProblem(call, options: self.upstream.callOptions(context, caller: caller))
        guard let created = response.problem else { throw Problem.internalError }
        return Self.problem(created, viewer: caller, status: .created, location: true)
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        let problem = try await self.access.load(slug: try ProblemAccess.slug(context), viewer: viewer, context: context)
        return Self.problem(problem, viewer: viewer)
    }

    /// Merges the body onto the stored problem and saves it with the loaded revision, so that two
    /// editors never overwrite each other silently: a stale `If-Match` (or body `revision`) is a
    /// 412; a save that lost a race inside this request is a 409 (reload and retry).
    @Sendable func update(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let slug = try ProblemAccess.slug(context)
        let body = try await self.body.decode(ProblemBody.self, from: request)
        var problem = try await self.access.loadForEditing(slug: slug, caller: caller, context: context)
        let expected = try Self.expectedRevision(ifMatch: request.headers[.ifMatch], body: body.revision)
        if let expected, expected != problem.revision {
            throw Self.staleRevision(problem.revision)
        }
        var fields = RequiredFields()
        body.apply(to: &problem, &fields)
        try fields.check()
        var call = ProblemsV1.UpdateProblemRequest()
        call.problem = problem
        call.expectedRevision = problem.revision
        do {
            let response = try await self.problems.updateProblem(call, options: self.upstream.callOptions(context, caller: caller))
            guard let updated = response.problem else { throw Problem.internalError }
            return Self.problem(updated, viewer: caller)
        } catch let error as RPCError where error.code == .failedPrecondition {
            if expected != nil { throw Self.staleRevision(nil) }
            throw Problem(.conflict, "The problem was changed by someone else while saving; reload it and try again.")
        }
    }

    /// Staff: every submission of the problem is judged again (e.g. after its tests were fixed).
    @Sendable func rejudge(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can rejudge.") }
        let problem = try await self.access.load(slug: try ProblemAccess.slug(context), viewer: caller, context: context)
        var call = SubmissionsV1.RejudgeRequest()
        call.target = .problemId(problem.id)
        let response = try await self.submissions.rejudge(call, options: self.upstream.callOptions(context, caller: caller))
        return .json(RejudgeResource(queued: response.queuedCount), status: .accepted)
    }

    // MARK: Helpers

    static func problem(_ problem: ProblemsV1.Problem, viewer: Caller?, status: HTTPResponse.Status = .ok, location: Bool = false) -> Response {
        var headers: HTTPFields = [.eTag: "\"\(problem.revision)\""]
        if location { headers[.location] = "/api/v1/problems/\(problem.slug)" }
        return .json(ProblemResource(problem, viewer: viewer), status: status, headers: headers)
    }

    /// The revision the client edited: `If-Match: "7"` (weak tags and `*` accepted) or body `revision`.
    static func expectedRevision(ifMatch: String?, body: Int64?) throws -> Int64? {
        guard let ifMatch = ifMatch?.trimmed, !ifMatch.isEmpty, ifMatch != "*" else { return body }
        var tag = Substring(ifMatch)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.count >= 2, tag.first == "\"", tag.last == "\"" { tag = tag.dropFirst().dropLast() }
        guard let revision = Int64(tag) else { throw staleRevision(nil) }
        if let body, body != revision {
            throw Problem.field("revision", "does not match the If-Match header")
        }
        return revision
    }

    static func staleRevision(_ current: Int64?) -> Problem {
        let now = current.map { " (now revision \($0))" } ?? ""
        return Problem(.preconditionFailed, "The problem was changed since you loaded it\(now); reload it and apply your changes again.")
    }
}

/// `{queued}`: how many submissions were put back in the judge queue.
struct RejudgeResource: JSONResponseBody {
    var queued: Int64

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("queued", self.queued)
        json.endObject()
    }
}
