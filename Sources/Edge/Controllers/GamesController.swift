import AlgoProto
import Hummingbird

/// `/api/v1/games`: the catalogue of games, their rules and versions (staff create and edit them).
/// A referee's source goes to the judge only; the API names it by language and SHA-256.
struct GamesController: Sendable {
    let games: ProblemsV1.GamesClient
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator

    static let notFound = Problem(.notFound, "No such game.")

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.listGames, use: self.list)
        router.on(.createGame, use: self.create)
        router.on(.getGame, use: self.get)
        router.on(.updateGame, use: self.update)
        router.on(.listGameVersions, use: self.versions)
        router.on(.createGameVersion, use: self.createVersion)
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        var query = ListQuery(request)
        var call = ProblemsV1.ListGamesRequest()
        call.page = query.page()
        try query.check()
        let response = try await self.games.listGames(call, options: self.upstream.callOptions(context))
        return .json(PageResource(items: response.games.map(GameSummaryResource.init), nextPageToken: response.page?.nextPageToken ?? ""))
    }

    @Sendable func create(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can create games.") }
        let body = try await self.body.decode(GameCreateBody.self, from: request)
        let call = try body.request(author: caller.id)
        guard let game = try await self.games.createGame(call, options: self.upstream.callOptions(context, caller: caller)).game else {
            throw Problem.internalError
        }
        return .json(GameResource(game: game), status: .created, headers: [.location: "/api/v1/games/\(game.slug)"])
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        return .json(GameResource(game: try await self.load(slug: try Self.slug(context), viewer: viewer, context: context)))
    }

    /// Staff: the title and rules; the player counts are fixed at creation.
    @Sendable func update(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can change games.") }
        let slug = try Self.slug(context)
        let body = try await self.body.decode(GameUpdateBody.self, from: request)
        let game = try await self.load(slug: slug, viewer: caller, context: context)
        let call = try body.request(gameID: game.id)
        guard let updated = try await self.games.updateGame(call, options: self.upstream.callOptions(context, caller: caller)).game else {
            throw Problem.internalError
        }
        return .json(GameResource(game: updated))
    }

    @Sendable func versions(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        let game = try await self.load(slug: try Self.slug(context), viewer: viewer, context: context)
        return .json(GameVersionsResource(versions: game.versions))
    }

    /// Staff: a new version (a new major opens new rooms, so a new leaderboard).
    @Sendable func createVersion(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        guard caller.isStaff else { throw Problem(.forbidden, "Only staff can publish game versions.") }
        let slug = try Self.slug(context)
        let body = try await self.body.decode(GameVersionBody.self, from: request)
        let game = try await self.load(slug: slug, viewer: caller, context: context)
        let call = try body.request(gameID: game.id, author: caller.id)
        let response = try await self.games.createGameVersion(call, options: self.upstream.callOptions(context, caller: caller))
        guard let version = response.version else { throw Problem.internalError }
        return .json(
            CreatedGameVersionResource(version: version, rooms: response.rooms),
            status: .created,
            headers: [.location: "/api/v1/games/\(game.slug)/versions"]
        )
    }

    func load(slug: String, viewer: Caller?, context: EdgeRequestContext) async throws -> ProblemsV1.Game {
        var call = ProblemsV1.GetGameRequest()
        call.key = .slug(slug)
        guard let game = try await self.games.getGame(call, options: self.upstream.callOptions(context, caller: viewer)).game else {
            throw Problem.internalError
        }
        return game
    }

    /// The `{slug}` path segment; nothing longer than a slug could be is sent on.
    static func slug(_ context: EdgeRequestContext) throws -> String {
        guard let slug = context.parameters.get("slug"), (1...64).contains(slug.utf8.count) else { throw Self.notFound }
        return slug
    }
}
