import AlgoProto
import RPC
import Testing

@testable import Problems

/// Games, versions and rooms through the Games service over real RPC and PostgreSQL.
@Suite struct GameEditingTests {
    static func newGame(players: ClosedRange<Int32> = 2...2) -> ProblemsV1.CreateGameRequest {
        var request = ProblemsV1.CreateGameRequest()
        request.authorId = 1
        request.slug = "game-\(UInt32.random(in: 0...UInt32.max))"
        request.title = "  Connect Four  "
        request.rulesMarkdown = "Four in a row wins."
        request.minPlayers = players.lowerBound
        request.maxPlayers = players.upperBound
        return request
    }

    static func newVersion(_ gameID: Int64, bump: ProblemsV1.VersionBump = .micro, changelog: String = "") -> ProblemsV1.CreateGameVersionRequest {
        var request = ProblemsV1.CreateGameVersionRequest()
        request.gameId = gameID
        request.authorId = 1
        request.bump = bump
        request.changelog = changelog
        request.refereeLanguage = "c"
        request.refereeSource = "int main(void) { return 0; }"
        var template = ProblemsV1.LanguageTemplate()
        template.language = "python"
        template.templateCode = "print(4)"
        template.wrapperCode = "never used"
        request.templates = [template]
        return request
    }

    @Test func versionsBumpSemanticallyAndEachMajorHasItsRooms() async throws {
        let service = try await ProblemsFixture.make()
        let game = try #require(try await service.games.createGame(Self.newGame()).game)
        #expect(game.title == "Connect Four" && game.id > 0 && game.versions.isEmpty)

        let first = try await service.games.createGameVersion(Self.newVersion(game.id, bump: .minor, changelog: "First."))
        let v1 = try #require(first.version)
        #expect(v1.version == "1.0.0", "the first version is 1.0.0 whatever the bump")
        #expect(v1.limits?.turnTimeMs == 200 && v1.limits?.initTimeMs == 2000 && v1.limits?.maxTurns == 1000 && v1.limits?.memoryMb == 256)
        #expect(v1.templates.first?.wrapperCode == "", "a bot is a whole program")
        #expect(v1.refereeSource.isEmpty && v1.refereeSha256.count == 64)
        #expect(first.rooms.map(\.kind) == [.general, .practice, .ranking])
        #expect(first.rooms.allSatisfy { $0.gameVersionId == v1.id && $0.version == "1.0.0" && $0.major == 1 })

        let micro = try #require(try await service.games.createGameVersion(Self.newVersion(game.id, bump: .micro)).version)
        let minor = try await service.games.createGameVersion(Self.newVersion(game.id, bump: .minor, changelog: "Faster referee."))
        #expect(micro.version == "1.0.1" && minor.version?.version == "1.1.0")
        #expect(minor.rooms.map(\.id) == first.rooms.map(\.id), "minor versions keep the rooms")
        #expect(minor.rooms.allSatisfy { $0.version == "1.1.0" })
        let major = try await service.games.createGameVersion(Self.newVersion(game.id, bump: .major, changelog: "New board."))
        #expect(major.version?.version == "2.0.0")
        #expect(Set(major.rooms.map(\.id)).isDisjoint(with: first.rooms.map(\.id)), "a major version gets new rooms")

        var get = ProblemsV1.GetGameRequest()
        get.key = .slug(game.slug)
        let full = try #require(try await service.games.getGame(get).game)
        #expect(full.versions.map(\.version) == ["2.0.0", "1.1.0", "1.0.1", "1.0.0"])
        #expect(full.versions.map(\.changelog) == ["New board.", "Faster referee.", "", "First."])
        #expect(full.rooms.count == 6 && full.rooms.first?.major == 2)

        var room = ProblemsV1.GetRoomRequest()
        room.roomId = first.rooms[2].id
        let ranking = try #require(try await service.games.getRoom(room).room)
        #expect(ranking.kind == .ranking && ranking.version == "1.1.0" && ranking.minPlayers == 2 && ranking.gameSlug == game.slug)

        var version = ProblemsV1.GetGameVersionRequest()
        version.gameVersionId = v1.id
        #expect(try await service.games.getGameVersion(version).version?.refereeSource == "")
        version.includeReferee = true
        let withReferee = try await service.games.getGameVersion(version)
        #expect(withReferee.version?.refereeSource == "int main(void) { return 0; }" && withReferee.game?.id == game.id)
    }

    @Test func updatesChangeOnlyWhatIsGiven() async throws {
        let service = try await ProblemsFixture.make()
        let game = try #require(try await service.games.createGame(Self.newGame()).game)
        var update = ProblemsV1.UpdateGameRequest()
        update.gameId = game.id
        update.rulesMarkdown = "New rules."
        let updated = try #require(try await service.games.updateGame(update).game)
        #expect(updated.rulesMarkdown == "New rules." && updated.title == game.title)
        update.title = ""
        #expect(await failure { _ = try await service.games.updateGame(update) }.fields["title"] != nil)
        update.gameId = 987_654_321
        update.title = "Fine"
        #expect(await failure { _ = try await service.games.updateGame(update) }.code == .notFound)
    }

    @Test(arguments: [
        ("slug", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.slug = "No Spaces" }),
        ("title", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.title = "   " }),
        ("min_players", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.minPlayers = 1 }),
        ("max_players", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.maxPlayers = 9 }),
        ("max_players", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.minPlayers = 4; r.maxPlayers = 3 }),
        ("author_id", { @Sendable (r: inout ProblemsV1.CreateGameRequest) in r.authorId = 0 }),
    ] as [(String, @Sendable (inout ProblemsV1.CreateGameRequest) -> Void)])
    func invalidGames(field: String, change: @Sendable (inout ProblemsV1.CreateGameRequest) -> Void) async throws {
        let service = try await ProblemsFixture.make()
        var request = Self.newGame()
        change(&request)
        let result = await failure { _ = try await service.games.createGame(request) }
        #expect(result.code == .invalidArgument && result.fields[field] != nil, "\(result)")
    }

    @Test(arguments: [
        ("bump", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in r.bump = .unspecified }),
        ("referee_language", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in r.refereeLanguage = "rust" }),
        ("referee_source", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in r.refereeSource = "" }),
        ("limits.turn_time_ms", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in
            var limits = ProblemsV1.GameLimits()
            limits.turnTimeMs = 60_000
            r.limits = limits
        }),
        ("limits.memory_mb", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in
            var limits = ProblemsV1.GameLimits()
            limits.memoryMb = -5
            r.limits = limits
        }),
        ("templates[0].language", { @Sendable (r: inout ProblemsV1.CreateGameVersionRequest) in r.templates[0].language = "cobol" }),
    ] as [(String, @Sendable (inout ProblemsV1.CreateGameVersionRequest) -> Void)])
    func invalidVersions(field: String, change: @Sendable (inout ProblemsV1.CreateGameVersionRequest) -> Void) async throws {
        let service = try await ProblemsFixture.make()
        let game = try #require(try await service.games.createGame(Self.newGame()).game)
        var request = Self.newVersion(game.id)
        change(&request)
        let result = await failure { _ = try await service.games.createGameVersion(request) }
        #expect(result.code == .invalidArgument && result.fields[field] != nil, "\(result)")
    }

    @Test func missingThingsAreNotFoundAndTakenSlugsAlreadyExist() async throws {
        let service = try await ProblemsFixture.make()
        let request = Self.newGame()
        _ = try await service.games.createGame(request)
        #expect(await failure { _ = try await service.games.createGame(request) }.code == .alreadyExists)
        #expect(await failure { _ = try await service.games.createGameVersion(Self.newVersion(987_654_321)) }.code == .notFound)
        var room = ProblemsV1.GetRoomRequest()
        room.roomId = 987_654_321
        #expect(await failure { _ = try await service.games.getRoom(room) }.code == .notFound)
        room.roomId = 0
        #expect(await failure { _ = try await service.games.getRoom(room) }.code == .invalidArgument)
        #expect(await failure { _ = try await service.games.getGame(ProblemsV1.GetGameRequest()) }.code == .invalidArgument)
    }

    @Test func listsPageThroughEveryGame() async throws {
        let service = try await ProblemsFixture.make()
        for _ in 0..<3 { _ = try await service.games.createGame(Self.newGame()) }
        var request = ProblemsV1.ListGamesRequest()
        var page = CommonV1.PageRequest()
        page.pageSize = 2
        var seen: [Int64] = []
        while true {
            request.page = page
            let response = try await service.games.listGames(request)
            #expect(response.games.count <= 2)
            seen += response.games.map(\.id)
            guard let next = response.page?.nextPageToken, !next.isEmpty else { break }
            page.pageToken = next
        }
        #expect(seen == seen.sorted() && Set(seen).count == seen.count && seen.count >= 3)
        page.pageToken = "garbage"
        request.page = page
        #expect(await failure { _ = try await service.games.listGames(request) }.fields["page.page_token"] != nil)
    }
}
