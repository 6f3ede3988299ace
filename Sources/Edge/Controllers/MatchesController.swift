import AlgoProto
import Hummingbird
import NIOCore

/// `/api/v1/matches`: challenges, results, replays and logs. How a match went is public; what a
/// bot wrote to stderr is its owner's alone.
struct MatchesController: Sendable {
    let matches: SubmissionsV1.MatchesClient
    let lookup: UserLookup
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator
    let limiter: RateLimiter
    let playRule: RateLimiter.Rule

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.createMatch, use: self.create)
        router.on(.listMatches, use: self.list)
        router.on(.getMatch, use: self.get)
        router.on(.getReplay, use: self.replay)
        router.on(.getMatchLogs, use: self.logs)
    }

    /// A challenge: the caller's active bot in the room against the opponents.
    @Sendable func create(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let call = try await self.body.decode(ChallengeBody.self, from: request).request(user: caller.id)
        try await self.limiter.hit(self.playRule, subject: String(caller.id), logger: context.logger)
        guard let match = try await self.matches.createChallenge(call, options: self.upstream.callOptions(context, caller: caller)).match else {
            throw Problem.internalError
        }
        return .json(MatchResource(match: match), status: .created, headers: [.location: "/api/v1/matches/\(match.id)"])
    }

    /// Filters (all must hold): `room_id`, `bot_id`, `user` (username of a player).
    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        var query = ListQuery(request)
        var call = SubmissionsV1.ListMatchesRequest()
        call.page = query.page()
        call.roomId = query.id("room_id") ?? 0
        call.botId = query.id("bot_id") ?? 0
        let username = query.text("user", maxBytes: 64)
        try query.check()
        if let username {
            guard let id = try await self.lookup.id(username, viewer: viewer, context: context) else {
                return .json(PageResource<MatchResource>(items: [], nextPageToken: ""))
            }
            call.userId = id
        }
        let response = try await self.matches.listMatches(call, options: self.upstream.callOptions(context, caller: viewer))
        return .json(PageResource(items: response.matches.map(MatchResource.init), nextPageToken: response.page?.nextPageToken ?? ""))
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        return .json(MatchResource(match: try await self.load(try Self.id(context), viewer: viewer, context: context)))
    }

    /// The gzip-compressed JSON replay, as a download.
    @Sendable func replay(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let id = try Self.id(context)
        var call = SubmissionsV1.GetReplayRequest()
        call.matchId = id
        let response = try await self.matches.getReplay(call, options: self.upstream.callOptions(context))
        guard !response.replayGzip.isEmpty else { throw Problem(.notFound, "This match has no replay.") }
        let headers: HTTPFields = [
            .contentType: "application/gzip",
            .contentDisposition: "attachment; filename=\"match-\(id).replay.json.gz\"",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: response.replayGzip)))
    }

    /// The caller's own bots' logs; other players' logs are never shown (not even to staff).
    @Sendable func logs(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        var call = SubmissionsV1.GetMatchLogsRequest()
        call.matchId = try Self.id(context)
        call.userId = caller.id
        let response = try await self.matches.getMatchLogs(call, options: self.upstream.callOptions(context, caller: caller))
        return .json(MatchLogsResource(matchID: call.matchId, players: response.players.filter { $0.userId == caller.id }))
    }

    func load(_ id: Int64, viewer: Caller?, context: EdgeRequestContext) async throws -> SubmissionsV1.Match {
        var call = SubmissionsV1.GetMatchRequest()
        call.matchId = id
        guard let match = try await self.matches.getMatch(call, options: self.upstream.callOptions(context, caller: viewer)).match else {
            throw Problem.internalError
        }
        return match
    }

    static func id(_ context: EdgeRequestContext) throws -> Int64 {
        try PathID.parse(context, of: "match")
    }
}
