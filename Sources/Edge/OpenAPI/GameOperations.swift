/// The routes of games, rooms, bots, matches and user statistics.
extension APIOperation {
    static let gameOperations: [APIOperation] = [
        .listGames, .createGame, .getGame, .updateGame, .listGameVersions, .createGameVersion,
        .getRoom, .getLeaderboard, .getRankedQueue, .submitBot, .listBots, .getBot, .getRatingHistory,
        .createMatch, .listMatches, .getMatch, .getReplay, .getMatchLogs, .matchEvents,
        .getUserStatistics,
    ]

    // MARK: /api/v1/games

    static let listGames = APIOperation(
        method: .get, path: "/api/v1/games", operationID: "listGames", summary: "Games, oldest first",
        tag: "games", parameters: pageParameters,
        success: .init(status: 200, description: "One page of games", schema: "GamePage"),
        problems: [422]
    )
    static let createGame = APIOperation(
        method: .post, path: "/api/v1/games", operationID: "createGame",
        summary: "Create a game (staff); the caller becomes its author. It has no version (and no rooms) until one is published",
        tag: "games", security: .bearer, requestBody: "GameCreate",
        success: .init(status: 201, description: "The new game", schema: "GameDetail"),
        problems: [403, 409]
    )
    static let getGame = APIOperation(
        method: .get, path: "/api/v1/games/{slug}", operationID: "getGame",
        summary: "A game with its rules, its versions (newest first; referees by language and SHA-256 only) and its rooms",
        tag: "games", security: .optionalBearer,
        success: .init(status: 200, description: "The game", schema: "GameDetail"),
        problems: [404]
    )
    static let updateGame = APIOperation(
        method: .patch, path: "/api/v1/games/{slug}", operationID: "updateGame",
        summary: "Change a game's title or rules (staff); absent fields stay unchanged, player counts never change",
        tag: "games", security: .bearer, requestBody: "GameUpdate",
        success: .init(status: 200, description: "The updated game", schema: "GameDetail"),
        problems: [403, 404]
    )
    static let listGameVersions = APIOperation(
        method: .get, path: "/api/v1/games/{slug}/versions", operationID: "listGameVersions",
        summary: "A game's versions with their changelogs, newest first",
        tag: "games", security: .optionalBearer,
        success: .init(status: 200, description: "The versions", schema: "GameVersionList"),
        problems: [404]
    )
    static let createGameVersion = APIOperation(
        method: .post, path: "/api/v1/games/{slug}/versions", operationID: "createGameVersion",
        summary: "Publish a version (staff): a new major opens new rooms (a new leaderboard); minor and micro versions keep them",
        tag: "games", security: .bearer, requestBody: "GameVersionCreate",
        success: .init(status: 201, description: "The version and the rooms it plays in", schema: "CreatedGameVersion"),
        problems: [403, 404]
    )

    // MARK: /api/v1/rooms and /api/v1/bots

    static let getRoom = APIOperation(
        method: .get, path: "/api/v1/rooms/{id}", operationID: "getRoom", summary: "A room: one kind of play in one major version of a game",
        tag: "games",
        success: .init(status: 200, description: "The room", schema: "Room"),
        problems: [400, 404]
    )
    static let getLeaderboard = APIOperation(
        method: .get, path: "/api/v1/rooms/{id}/leaderboard", operationID: "getLeaderboard",
        summary: "The room's best active bots by ordinal (mu − 3·sigma)",
        tag: "games",
        parameters: [.init(name: "limit", description: "Entries (1-1000, default 100)", schema: ["type": "integer", "minimum": 1, "maximum": 1000])],
        success: .init(status: 200, description: "The leaderboard", schema: "Leaderboard"),
        problems: [400, 404, 422]
    )
    static let getRankedQueue = APIOperation(
        method: .get, path: "/api/v1/rooms/{id}/queue", operationID: "getRankedQueue",
        summary: "The room's queued and running matches (oldest first) and its active bots (fewest games first)",
        tag: "games",
        success: .init(status: 200, description: "The queue", schema: "RankedQueue"),
        problems: [400, 404]
    )
    static let submitBot = APIOperation(
        method: .post, path: "/api/v1/rooms/{id}/bots", operationID: "submitBot",
        summary: "Submit a bot to the room; it becomes the caller's active bot there (in a ranking room it plays placement matches first)",
        tag: "games", security: .bearer, requestBody: "BotCreate",
        success: .init(status: 201, description: "The new bot, with its source", schema: "Bot"),
        problems: [404], rateLimited: true
    )
    static let listBots = APIOperation(
        method: .get, path: "/api/v1/rooms/{id}/bots", operationID: "listBots", summary: "The room's bots, newest first (never their sources)",
        tag: "games", security: .optionalBearer,
        parameters: [
            .init(name: "user", description: "Username of the owner"),
            .init(name: "active", description: "true: only the bots that play (each user's newest)", schema: ["type": "boolean"]),
        ] + pageParameters,
        success: .init(status: 200, description: "One page of bots", schema: "BotPage"),
        problems: [400, 422]
    )
    static let getBot = APIOperation(
        method: .get, path: "/api/v1/bots/{id}", operationID: "getBot", summary: "A bot; its source only for its owner and staff",
        tag: "games", security: .optionalBearer,
        success: .init(status: 200, description: "The bot", schema: "Bot"),
        problems: [400, 404]
    )
    static let getRatingHistory = APIOperation(
        method: .get, path: "/api/v1/bots/{id}/ratings", operationID: "getRatingHistory",
        summary: "A bot's rating after each rated match, oldest first, from its initial rating",
        tag: "games",
        success: .init(status: 200, description: "The rating history", schema: "RatingHistory"),
        problems: [400, 404]
    )

    // MARK: /api/v1/matches

    static let createMatch = APIOperation(
        method: .post, path: "/api/v1/matches", operationID: "createMatch",
        summary: "Challenge bots of a room: the caller's active bot there plays them (never rated); follow /events or poll the Location",
        tag: "matches", security: .bearer, requestBody: "ChallengeCreate",
        success: .init(status: 201, description: "The queued match", schema: "Match"),
        problems: [404, 409], rateLimited: true
    )
    static let listMatches = APIOperation(
        method: .get, path: "/api/v1/matches", operationID: "listMatches", summary: "Matches, newest first",
        tag: "matches", security: .optionalBearer,
        parameters: [
            .init(name: "room_id", description: "Matches of this room", schema: OpenAPISchemas.int64),
            .init(name: "bot_id", description: "Matches this bot played", schema: OpenAPISchemas.int64),
            .init(name: "user", description: "Username of a player's owner"),
        ] + pageParameters,
        success: .init(status: 200, description: "One page of matches", schema: "MatchPage"),
        problems: [422]
    )
    static let getMatch = APIOperation(
        method: .get, path: "/api/v1/matches/{id}", operationID: "getMatch", summary: "A match and how each player did (logs: /logs)",
        tag: "matches", security: .optionalBearer,
        success: .init(status: 200, description: "The match", schema: "Match"),
        problems: [400, 404]
    )
    static let getReplay = APIOperation(
        method: .get, path: "/api/v1/matches/{id}/replay", operationID: "getReplay",
        summary: "Download the match's replay (gzip-compressed JSON, `Content-Disposition: attachment`); 404 until it has one",
        tag: "matches",
        success: .init(status: 200, description: "match-{id}.replay.json.gz", schema: "ReplayFile", mediaType: "application/gzip"),
        problems: [400, 404]
    )
    static let getMatchLogs = APIOperation(
        method: .get, path: "/api/v1/matches/{id}/logs", operationID: "getMatchLogs",
        summary: "What the caller's own bots in the match wrote to stderr (or their compilers' diagnostics); nobody sees another user's logs",
        tag: "matches", security: .bearer,
        success: .init(status: 200, description: "The caller's players' logs (none when the caller has no bot in the match)", schema: "MatchLogs"),
        problems: [400, 404]
    )
    static let matchEvents = APIOperation(
        method: .get, path: "/api/v1/matches/{id}/events", operationID: "matchEvents",
        summary: "Server-Sent Events: `status` events (current status first), then one `done` event with the whole match once it is done or failed; the stream then ends",
        tag: "matches", security: .optionalBearer,
        success: .init(status: 200, description: "An event stream", schema: "MatchEventStream", mediaType: "text/event-stream"),
        problems: [400, 404]
    )

    // MARK: /api/v1/users/{username}/stats

    static let getUserStatistics = APIOperation(
        method: .get, path: "/api/v1/users/{username}/stats", operationID: "getUserStatistics",
        summary: "A user's finished matches, wins and bots, overall and per game",
        tag: "users", security: .optionalBearer,
        success: .init(status: 200, description: "The statistics", schema: "UserStatistics"),
        problems: [404]
    )
}
