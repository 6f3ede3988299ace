import AlgoProto
import RPC
import ServiceKit

/// The Games service: games, their versions and rooms. Like ProblemsHandler, it validates and
/// trusts its authenticated peers for authorization (Edge lets only staff create and update).
/// GetGameVersion returns the referee's source only when asked (the judge asks).
struct GamesHandler: ProblemsV1.GamesHandler {
    let games: GameStore

    func createGame(_ request: ProblemsV1.CreateGameRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateGameResponse {
        let (game, violations) = GameValidation.game(request)
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        var response = ProblemsV1.CreateGameResponse()
        response.game = try await storage { try await self.games.create(game) }
        context.logger.info("game created", metadata: ["game_id": "\(response.game?.id ?? 0)", "slug": "\(game.slug)"])
        return response
    }

    func updateGame(_ request: ProblemsV1.UpdateGameRequest, context: RPCServerContext) async throws -> ProblemsV1.UpdateGameResponse {
        guard request.gameId > 0 else { throw RPCError.invalid("game_id", "is required") }
        var violations: [CommonV1.FieldViolation] = []
        let title = request.title.map { GameValidation.title($0, &violations) }
        let rules = request.rulesMarkdown.map { GameValidation.rules($0, &violations) }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        guard let game = try await storage({ try await self.games.update(id: request.gameId, title: title, rules: rules) }) else {
            throw RPCError(.notFound, "no game with id \(request.gameId)")
        }
        var response = ProblemsV1.UpdateGameResponse()
        response.game = game
        return response
    }

    func getGame(_ request: ProblemsV1.GetGameRequest, context: RPCServerContext) async throws -> ProblemsV1.GetGameResponse {
        let found: ProblemsV1.Game?
        switch request.key {
        case .slug(let slug)?: found = try await storage { try await self.games.find(slug: slug) }
        case .id(let id)?: found = try await storage { try await self.games.find(id: id) }
        case nil: throw RPCError.invalid("key", "slug or id is required")
        }
        guard let found else { throw RPCError(.notFound, "no such game") }
        var response = ProblemsV1.GetGameResponse()
        response.game = found
        return response
    }

    func listGames(_ request: ProblemsV1.ListGamesRequest, context: RPCServerContext) async throws -> ProblemsV1.ListGamesResponse {
        let page = request.page ?? CommonV1.PageRequest()
        guard let afterID = PageToken.decode(page.pageToken) else {
            throw RPCError.invalid("page.page_token", "is not a token from a previous page")
        }
        let size = PageToken.pageSize(page.pageSize)
        var games = try await storage { try await self.games.list(afterID: afterID, limit: size + 1) }
        var info = CommonV1.PageInfo()
        if games.count > size {
            games.removeLast()
            info.nextPageToken = PageToken.encode(lastID: games[games.count - 1].id)
        }
        var response = ProblemsV1.ListGamesResponse()
        response.games = games
        response.page = info
        return response
    }

    func createGameVersion(
        _ request: ProblemsV1.CreateGameVersionRequest, context: RPCServerContext
    ) async throws -> ProblemsV1.CreateGameVersionResponse {
        let (validated, violations) = GameValidation.version(request)
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        switch try await storage({ try await self.games.createVersion(validated) }) {
        case .gameNotFound:
            throw RPCError(.notFound, "no game with id \(request.gameId)")
        case .created(let version, let rooms):
            context.logger.info("game version created", metadata: ["game_id": "\(request.gameId)", "version": "\(version.version)"])
            var response = ProblemsV1.CreateGameVersionResponse()
            response.version = version
            response.rooms = rooms
            return response
        }
    }

    func getGameVersion(_ request: ProblemsV1.GetGameVersionRequest, context: RPCServerContext) async throws -> ProblemsV1.GetGameVersionResponse {
        guard request.gameVersionId > 0 else { throw RPCError.invalid("game_version_id", "is required") }
        guard let (version, game) = try await storage({
            try await self.games.version(id: request.gameVersionId, includeReferee: request.includeReferee)
        }) else {
            throw RPCError(.notFound, "no game version with id \(request.gameVersionId)")
        }
        var response = ProblemsV1.GetGameVersionResponse()
        response.version = version
        response.game = game
        return response
    }

    func getRoom(_ request: ProblemsV1.GetRoomRequest, context: RPCServerContext) async throws -> ProblemsV1.GetRoomResponse {
        guard request.roomId > 0 else { throw RPCError.invalid("room_id", "is required") }
        guard let room = try await storage({ try await self.games.room(id: request.roomId) }) else {
            throw RPCError(.notFound, "no room with id \(request.roomId)")
        }
        var response = ProblemsV1.GetRoomResponse()
        response.room = room
        return response
    }
}
