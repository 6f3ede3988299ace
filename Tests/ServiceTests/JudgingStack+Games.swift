import AlgoProto
import Foundation
import Testing

/// Games for end-to-end tests: the shipped games and bots from games/, created over real RPC.
extension JudgingStack {
    static let gamesRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/games"
    }()

    /// A file of games/ with the language its extension says.
    static func program(_ relative: String) throws -> (language: String, source: String) {
        let source = try String(contentsOfFile: Self.gamesRoot + "/" + relative, encoding: .utf8)
        return (relative.hasSuffix(".py") ? "python" : "c", source)
    }

    /// A new game (unique slug) with one version whose referee is `referee`; returns its rooms.
    func createGame(
        _ prefix: String, referee: String, players: ClosedRange<Int32> = 2...2, turnTimeMs: Int32 = 200, maxTurns: Int32 = 42
    ) async throws -> (game: ProblemsV1.Game, rooms: [ProblemsV1.RoomKind: ProblemsV1.Room]) {
        var create = ProblemsV1.CreateGameRequest()
        create.authorId = 1
        create.slug = "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
        create.title = "Test \(prefix)"
        create.rulesMarkdown = "See games/\(prefix)/rules.md."
        create.minPlayers = players.lowerBound
        create.maxPlayers = players.upperBound
        let game = try #require(try await self.games.createGame(create).game)

        var version = ProblemsV1.CreateGameVersionRequest()
        version.gameId = game.id
        version.authorId = 1
        version.bump = .major
        version.changelog = "First version."
        let program = try Self.program(referee)
        version.refereeLanguage = program.language
        version.refereeSource = program.source
        var limits = ProblemsV1.GameLimits()
        limits.initTimeMs = 2000
        limits.turnTimeMs = turnTimeMs
        limits.maxTurns = maxTurns
        limits.memoryMb = 64
        version.limits = limits
        let created = try await self.games.createGameVersion(version)
        return (game, Dictionary(uniqueKeysWithValues: created.rooms.map { ($0.kind, $0) }))
    }

    func submitBot(_ relative: String, room: ProblemsV1.Room, user: Int64) async throws -> SubmissionsV1.Bot {
        let program = try Self.program(relative)
        var request = SubmissionsV1.SubmitBotRequest()
        request.userId = user
        request.roomId = room.id
        request.language = program.language
        request.sourceCode = program.source
        return try #require(try await self.matches.submitBot(request).bot)
    }

    func challenge(_ room: ProblemsV1.Room, user: Int64, opponents: [Int64], seed: UInt64 = 42) async throws -> SubmissionsV1.Match {
        var request = SubmissionsV1.CreateChallengeRequest()
        request.userId = user
        request.roomId = room.id
        request.opponentBotIds = opponents
        request.seed = seed
        return try #require(try await self.matches.createChallenge(request).match)
    }

    func match(_ id: Int64) async throws -> SubmissionsV1.Match {
        var request = SubmissionsV1.GetMatchRequest()
        request.matchId = id
        return try #require(try await self.matches.getMatch(request).match)
    }

    /// Polls until the match is DONE or FAILED (or `timeout` passes, which fails the test).
    func waitUntilFinished(_ id: Int64, timeout: Duration = .seconds(120)) async throws -> SubmissionsV1.Match {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let match = try await self.match(id)
            if match.status == .done || match.status == .failed { return match }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("match \(id) did not finish within \(timeout)")
        return try await self.match(id)
    }

    func bot(_ id: Int64) async throws -> SubmissionsV1.Bot {
        var request = SubmissionsV1.GetBotRequest()
        request.botId = id
        return try #require(try await self.matches.getBot(request).bot)
    }

    /// The room's matches, newest first (every page).
    func roomMatches(_ roomID: Int64) async throws -> [SubmissionsV1.Match] {
        var all: [SubmissionsV1.Match] = []
        var request = SubmissionsV1.ListMatchesRequest()
        request.roomId = roomID
        var page = CommonV1.PageRequest()
        page.pageSize = 100
        while true {
            request.page = page
            let response = try await self.matches.listMatches(request)
            all += response.matches
            guard let next = response.page?.nextPageToken, !next.isEmpty else { return all }
            page.pageToken = next
        }
    }
}
