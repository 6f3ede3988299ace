import AlgoProto
import Hummingbird

/// `/api/v1/rooms/{id}`: a room of a game's major version, its leaderboard, its ranked queue, and
/// its bots (any signed-in user submits one; their newest is the one that plays).
struct RoomsController: Sendable {
    let games: ProblemsV1.GamesClient
    let matches: SubmissionsV1.MatchesClient
    let lookup: UserLookup
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator
    let limiter: RateLimiter
    /// Bots and challenges cost judge time like submissions; they share one budget per user.
    let playRule: RateLimiter.Rule

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.getRoom, use: self.get)
        router.on(.getLeaderboard, use: self.leaderboard)
        router.on(.getRankedQueue, use: self.queue)
        router.on(.submitBot, use: self.submitBot)
        router.on(.listBots, use: self.listBots)
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        var call = ProblemsV1.GetRoomRequest()
        call.roomId = try PathID.parse(context, of: "room")
        guard let room = try await self.games.getRoom(call, options: self.upstream.callOptions(context)).room else { throw Problem.internalError }
        return .json(RoomResource(room: room))
    }

    /// `limit` (1-1000, default 100): the best bots by ordinal.
    @Sendable func leaderboard(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        var call = SubmissionsV1.GetLeaderboardRequest()
        call.roomId = try PathID.parse(context, of: "room")
        var query = ListQuery(request)
        call.limit = query.integer("limit", 1...1000) ?? 0
        try query.check()
        let response = try await self.matches.getLeaderboard(call, options: self.upstream.callOptions(context))
        return .json(LeaderboardResource(entries: response.entries))
    }

    @Sendable func queue(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        var call = SubmissionsV1.GetRankedQueueRequest()
        call.roomId = try PathID.parse(context, of: "room")
        let response = try await self.matches.getRankedQueue(call, options: self.upstream.callOptions(context))
        return .json(RankedQueueResource(matches: response.matches, bots: response.bots))
    }

    @Sendable func submitBot(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let roomID = try PathID.parse(context, of: "room")
        let body = try await self.body.decode(BotBody.self, from: request)
        var fields = RequiredFields()
        var call = SubmissionsV1.SubmitBotRequest()
        call.userId = caller.id
        call.roomId = roomID
        call.language = fields.require(body.language, "language")
        call.sourceCode = fields.require(body.source, "source")
        let maximum = SubmissionsController.maximumSourceBytes
        if call.sourceCode.utf8.count > maximum { fields.add("source", "must be at most \(maximum) bytes long") }
        try fields.check()
        try await self.limiter.hit(self.playRule, subject: String(caller.id), logger: context.logger)
        guard let bot = try await self.matches.submitBot(call, options: self.upstream.callOptions(context, caller: caller)).bot else {
            throw Problem.internalError
        }
        return .json(BotResource(bot, viewer: caller), status: .created, headers: [.location: "/api/v1/bots/\(bot.id)"])
    }

    /// Filters: `user` (username), `active` (true: only the bots that play). Never sources.
    @Sendable func listBots(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        var call = SubmissionsV1.ListBotsRequest()
        call.roomId = try PathID.parse(context, of: "room")
        var query = ListQuery(request)
        call.page = query.page()
        call.activeOnly = query.bool("active") ?? false
        let username = query.text("user", maxBytes: 64)
        try query.check()
        if let username {
            guard let id = try await self.lookup.id(username, viewer: viewer, context: context) else {
                return .json(PageResource<BotResource>(items: [], nextPageToken: ""))
            }
            call.userId = id
        }
        let response = try await self.matches.listBots(call, options: self.upstream.callOptions(context, caller: viewer))
        return .json(PageResource(items: response.bots.map(BotResource.init(listed:)), nextPageToken: response.page?.nextPageToken ?? ""))
    }
}
