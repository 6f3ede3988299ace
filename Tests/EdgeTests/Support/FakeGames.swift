import AlgoProto
import Foundation
import RPC
import Synchronization

/// Problems' Games service in memory: games, semantic versions (a new major opens a general, a
/// practice and a ranking room; minor and micro versions move the major's rooms on) and rooms.
final class FakeGames: ProblemsV1.GamesHandler {
    struct State {
        var games: [Int64: ProblemsV1.Game] = [:]
        var rooms: [Int64: ProblemsV1.Room] = [:]
        var nextID: Int64 = 1
        var versionRequests: [ProblemsV1.CreateGameVersionRequest] = []
    }

    let state = Mutex(State())

    func game(slug: String) -> ProblemsV1.Game? {
        self.state.withLock { state in state.games.values.first { $0.slug == slug } }
    }

    func room(_ id: Int64) -> ProblemsV1.Room? {
        self.state.withLock { $0.rooms[id] }
    }

    func createGame(_ request: ProblemsV1.CreateGameRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateGameResponse {
        guard request.slug.range(of: "^[a-z0-9-]{3,64}$", options: .regularExpression) != nil else {
            throw FakeProblems.invalid("slug", "must be 3-64 characters of a-z, 0-9 and -")
        }
        guard request.minPlayers >= 1, request.minPlayers <= request.maxPlayers else {
            throw FakeProblems.invalid("max_players", "must be at least min_players (itself at least 1)")
        }
        return try self.state.withLock { state in
            guard !state.games.values.contains(where: { $0.slug == request.slug }) else {
                throw FakeProblems.invalid("slug", "is taken", code: .alreadyExists)
            }
            var game = ProblemsV1.Game()
            game.id = state.nextID
            state.nextID += 1
            game.slug = request.slug
            game.title = request.title
            game.rulesMarkdown = request.rulesMarkdown
            game.minPlayers = request.minPlayers
            game.maxPlayers = request.maxPlayers
            game.authorId = request.authorId
            game.createdAtMs = 1_700_000_000_000
            game.updatedAtMs = game.createdAtMs
            state.games[game.id] = game
            var response = ProblemsV1.CreateGameResponse()
            response.game = game
            return response
        }
    }

    func updateGame(_ request: ProblemsV1.UpdateGameRequest, context: RPCServerContext) async throws -> ProblemsV1.UpdateGameResponse {
        try self.state.withLock { state in
            guard var game = state.games[request.gameId] else { throw RPCError(.notFound, "no such game") }
            if let title = request.title { game.title = title }
            if let rules = request.rulesMarkdown { game.rulesMarkdown = rules }
            game.updatedAtMs += 1000
            state.games[game.id] = game
            var response = ProblemsV1.UpdateGameResponse()
            response.game = game
            return response
        }
    }

    func getGame(_ request: ProblemsV1.GetGameRequest, context: RPCServerContext) async throws -> ProblemsV1.GetGameResponse {
        let found = self.state.withLock { state -> ProblemsV1.Game? in
            switch request.key {
            case .slug(let slug): state.games.values.first { $0.slug == slug }
            case .id(let id): state.games[id]
            case nil: nil
            }
        }
        guard let found else { throw RPCError(.notFound, "no such game") }
        var response = ProblemsV1.GetGameResponse()
        response.game = found
        return response
    }

    /// Oldest first, paged by id (the token is the last id of the previous page).
    func listGames(_ request: ProblemsV1.ListGamesRequest, context: RPCServerContext) async throws -> ProblemsV1.ListGamesResponse {
        let after = Int64(request.page?.pageToken ?? "") ?? 0
        let size = Int(request.page?.pageSize ?? 0) > 0 ? Int(request.page!.pageSize) : 20
        let games = self.state.withLock { state in state.games.values.sorted { $0.id < $1.id }.filter { $0.id > after } }
        var response = ProblemsV1.ListGamesResponse()
        response.games = games.prefix(size).map { game in
            var summary = game
            summary.versions = []
            summary.rooms = []
            return summary
        }
        var page = CommonV1.PageInfo()
        if games.count > size, let last = response.games.last { page.nextPageToken = String(last.id) }
        response.page = page
        return response
    }

    func createGameVersion(_ request: ProblemsV1.CreateGameVersionRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateGameVersionResponse {
        guard request.bump != .unspecified else { throw FakeProblems.invalid("bump", "is required") }
        guard (request.limits?.turnTimeMs ?? 0) > 0 else { throw FakeProblems.invalid("limits.turn_time_ms", "must be positive") }
        return try self.state.withLock { state in
            guard var game = state.games[request.gameId] else { throw RPCError(.notFound, "no such game") }
            state.versionRequests.append(request)
            let newest = game.versions.first
            var version = ProblemsV1.GameVersion()
            version.id = state.nextID
            state.nextID += 1
            version.gameId = game.id
            switch (newest, request.bump) {
            case (nil, _): (version.major, version.minor, version.micro) = (1, 0, 0)
            case (let newest?, .major): (version.major, version.minor, version.micro) = (newest.major + 1, 0, 0)
            case (let newest?, .minor): (version.major, version.minor, version.micro) = (newest.major, newest.minor + 1, 0)
            case (let newest?, _): (version.major, version.minor, version.micro) = (newest.major, newest.minor, newest.micro + 1)
            }
            version.version = "\(version.major).\(version.minor).\(version.micro)"
            version.changelog = request.changelog
            version.refereeLanguage = request.refereeLanguage
            version.refereeSha256 = "sha256-of-\(request.refereeSource.utf8.count)-bytes"
            version.limits = request.limits
            version.templates = request.templates
            version.createdAtMs = 1_700_000_000_000 + version.id
            version.authorId = request.authorId
            var rooms = game.rooms.filter { $0.major == version.major }
            if rooms.isEmpty {
                for kind in [ProblemsV1.RoomKind.general, .practice, .ranking] {
                    var room = ProblemsV1.Room()
                    room.id = state.nextID
                    state.nextID += 1
                    room.gameId = game.id
                    room.gameSlug = game.slug
                    room.kind = kind
                    room.major = version.major
                    room.minPlayers = game.minPlayers
                    room.maxPlayers = game.maxPlayers
                    rooms.append(room)
                }
            }
            for index in rooms.indices {
                rooms[index].gameVersionId = version.id
                rooms[index].version = version.version
                state.rooms[rooms[index].id] = rooms[index]
            }
            game.versions.insert(version, at: 0)
            game.rooms = rooms + game.rooms.filter { $0.major != version.major }
            state.games[game.id] = game
            var response = ProblemsV1.CreateGameVersionResponse()
            // The service answers with the referee it stored; Edge must not pass it on.
            version.refereeSource = request.refereeSource
            response.version = version
            response.rooms = rooms
            return response
        }
    }

    func getGameVersion(_ request: ProblemsV1.GetGameVersionRequest, context: RPCServerContext) async throws -> ProblemsV1.GetGameVersionResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func getRoom(_ request: ProblemsV1.GetRoomRequest, context: RPCServerContext) async throws -> ProblemsV1.GetRoomResponse {
        guard let room = self.room(request.roomId) else { throw RPCError(.notFound, "no such room") }
        var response = ProblemsV1.GetRoomResponse()
        response.room = room
        return response
    }
}
