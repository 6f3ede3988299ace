import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// /api/v1/games, /rooms and /bots against the in-memory Games and Matches services over real RPC.
@Suite struct GameRouteTests {
    static let referee = "print('secret referee logic')"

    /// A game created by staff through the API; returns its slug.
    static func game(_ client: some TestClientProtocol, _ harness: EdgeHarness) async throws -> String {
        let slug = ProblemRouteTests.uniqueSlug("game")
        let body: [String: Any] = ["slug": slug, "title": "Tron", "rules_markdown": "# Rules", "min_players": 2, "max_players": 4]
        let response = try await client.send(.post, "/api/v1/games", json: body, token: harness.token("staff").token)
        #expect(response.status == .created, "\(response.bodyText)")
        return slug
    }

    static func versionBody(_ bump: String) -> [String: Any] {
        [
            "bump": bump, "changelog": "Changes of \(bump)", "referee_language": "python", "referee_source": Self.referee,
            "limits": ["init_time_ms": 1000, "turn_time_ms": 100, "max_turns": 200, "memory_mb": 256],
            "templates": [["language": "c", "template_code": "int main() {}"]],
        ]
    }

    /// A game with a first version; returns its slug and room ids by kind.
    static func gameWithRooms(_ client: some TestClientProtocol, _ harness: EdgeHarness) async throws -> (slug: String, rooms: [String: Int]) {
        let slug = try await Self.game(client, harness)
        let response = try await client.send(.post, "/api/v1/games/\(slug)/versions", json: Self.versionBody("major"), token: harness.token("staff").token)
        #expect(response.status == .created, "\(response.bodyText)")
        var rooms: [String: Int] = [:]
        for room in response.json["rooms"] as? [[String: Any]] ?? [] {
            if let kind = room["kind"] as? String, let id = room["id"] as? Int { rooms[kind] = id }
        }
        return (slug, rooms)
    }

    @Test func staffCreateGamesAndEveryoneReadsThem() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("game")
            let body: [String: Any] = ["slug": slug, "title": "Tron", "rules_markdown": "# Rules", "min_players": 2, "max_players": 4]
            #expect(try await client.send(.post, "/api/v1/games", json: body).status == .unauthorized)
            let forbidden = try await client.send(.post, "/api/v1/games", json: body, token: harness.token("user").token)
            #expect(forbidden.status == .forbidden && forbidden.problemType == "forbidden")

            let staff = harness.token("staff")
            let created = try await client.send(.post, "/api/v1/games", json: body, token: staff.token)
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/games/\(slug)")
            #expect(created.json["author_id"] as? Int == Int(staff.id) && created.json["min_players"] as? Int == 2)
            #expect((created.json["versions"] as? [Any])?.isEmpty == true)
            let taken = try await client.send(.post, "/api/v1/games", json: body, token: staff.token)
            #expect(taken.status == .conflict && taken.fieldErrors["slug"] == "is taken")

            let read = try await client.send(.get, "/api/v1/games/\(slug)")
            #expect(read.status == .ok && read.json["title"] as? String == "Tron" && read.json["rules_markdown"] as? String == "# Rules")
            #expect(try await client.send(.get, "/api/v1/games/no-such-\(slug)").status == .notFound)

            // The list pages like problems, without rules.
            let second = try await Self.game(client, harness)
            let first = try await client.send(.get, "/api/v1/games?page_size=1")
            #expect(first.status == .ok && (first.json["items"] as? [Any])?.count == 1)
            var token = first.json["next_page_token"] as? String
            var slugs = (first.json["items"] as? [[String: Any]] ?? []).compactMap { $0["slug"] as? String }
            while let next = token {
                let page = try await client.send(.get, "/api/v1/games?page_size=100&page_token=\(next)")
                slugs += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["slug"] as? String }
                #expect((page.json["items"] as? [[String: Any]] ?? []).allSatisfy { $0["rules_markdown"] == nil })
                token = page.json["next_page_token"] as? String
            }
            #expect(slugs.contains(slug) && slugs.contains(second))
            #expect(try await client.send(.get, "/api/v1/games?page_size=0").fieldErrors["page_size"] != nil)
        }
    }

    @Test func badGameBodiesAreRefused() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let staff = harness.token("staff").token
            let missing = try await client.send(.post, "/api/v1/games", json: ["title": "x"], token: staff)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors == ["slug": "is required", "rules_markdown": "is required", "min_players": "is required", "max_players": "is required"])
            let wrongType = try await client.send(.post, "/api/v1/games", json: ["slug": "abc", "min_players": "two"], token: staff)
            #expect(wrongType.fieldErrors["min_players"] == "must be a number")
            // The service's verdicts come back as field errors.
            let body: [String: Any] = ["slug": "Not A Slug", "title": "t", "rules_markdown": "r", "min_players": 2, "max_players": 2]
            #expect(try await client.send(.post, "/api/v1/games", json: body, token: staff).fieldErrors["slug"] != nil)
            var players = body
            players["slug"] = ProblemRouteTests.uniqueSlug("game")
            players["min_players"] = 3
            #expect(try await client.send(.post, "/api/v1/games", json: players, token: staff).fieldErrors["max_players"] != nil)
            #expect(try await client.send(.post, "/api/v1/games", raw: "{", token: staff).problemType == "malformed-json")
        }
    }

    @Test func staffUpdateGames() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = try await Self.game(client, harness)
            let path = "/api/v1/games/\(slug)"
            #expect(try await client.send(.patch, path, json: ["title": "New"]).status == .unauthorized)
            #expect(try await client.send(.patch, path, json: ["title": "New"], token: harness.token("user").token).status == .forbidden)
            let staff = harness.token("staff").token
            let updated = try await client.send(.patch, path, json: ["title": "New"], token: staff)
            #expect(updated.status == .ok && updated.json["title"] as? String == "New" && updated.json["rules_markdown"] as? String == "# Rules")
            let rules = try await client.send(.patch, path, json: ["rules_markdown": "## Other"], token: staff)
            #expect(rules.json["title"] as? String == "New" && rules.json["rules_markdown"] as? String == "## Other")
            #expect(try await client.send(.patch, path, json: ["title": ""], token: staff).fieldErrors["title"] == "must not be empty")
            #expect(try await client.send(.patch, "/api/v1/games/no-such-\(slug)", json: ["title": "x"], token: staff).status == .notFound)
        }
    }

    @Test func versionsOpenRoomsPerMajorAndNeverShowTheReferee() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let slug = try await Self.game(client, harness)
            let path = "/api/v1/games/\(slug)/versions"
            #expect(try await client.send(.post, path, json: Self.versionBody("major")).status == .unauthorized)
            #expect(try await client.send(.post, path, json: Self.versionBody("major"), token: harness.token("user").token).status == .forbidden)

            let staff = harness.token("staff")
            let first = try await client.send(.post, path, json: Self.versionBody("major"), token: staff.token)
            #expect(first.status == .created, "\(first.bodyText)")
            #expect(first.headers[.location] == path)
            let version = first.json["version"] as? [String: Any] ?? [:]
            #expect(version["version"] as? String == "1.0.0" && version["changelog"] as? String == "Changes of major")
            #expect((version["limits"] as? [String: Any])?["turn_time_ms"] as? Int == 100)
            #expect((version["templates"] as? [[String: Any]])?.first?["template_code"] as? String == "int main() {}")
            #expect((version["templates"] as? [[String: Any]])?.first?["wrapper"] == nil)
            #expect(version["referee_sha256"] as? String == "sha256-of-\(Self.referee.utf8.count)-bytes")
            #expect(!first.bodyText.contains("secret referee logic"))
            #expect((first.json["rooms"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["general", "practice", "ranking"])
            let forwarded = try #require(fakes.games.state.withLock { $0.versionRequests.last { $0.authorId == staff.id } })
            #expect(forwarded.bump == .major && forwarded.refereeSource == Self.referee && forwarded.limits?.memoryMb == 256)

            let minor = try await client.send(.post, path, json: Self.versionBody("minor"), token: staff.token)
            #expect((minor.json["version"] as? [String: Any])?["version"] as? String == "1.1.0")
            let firstRooms = (first.json["rooms"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
            #expect((minor.json["rooms"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == firstRooms)
            let major = try await client.send(.post, path, json: Self.versionBody("major"), token: staff.token)
            #expect((major.json["version"] as? [String: Any])?["version"] as? String == "2.0.0")
            let majorRooms = Set((major.json["rooms"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int })
            #expect(majorRooms.count == 3 && majorRooms.isDisjoint(with: firstRooms ?? []))

            let versions = try await client.send(.get, path)
            #expect((versions.json["items"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["2.0.0", "1.1.0", "1.0.0"])
            #expect((versions.json["items"] as? [[String: Any]])?.last?["changelog"] as? String == "Changes of major")
            let game = try await client.send(.get, "/api/v1/games/\(slug)")
            #expect((game.json["versions"] as? [Any])?.count == 3 && (game.json["rooms"] as? [Any])?.count == 6)
            #expect(!game.bodyText.contains("referee_source") && !versions.bodyText.contains("referee_source"))
            #expect(try await client.send(.get, "/api/v1/games/no-such-\(slug)/versions").status == .notFound)
        }
    }

    @Test func badVersionBodiesAreRefused() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = try await Self.game(client, harness)
            let path = "/api/v1/games/\(slug)/versions"
            let staff = harness.token("staff").token
            let missing = try await client.send(.post, path, json: ["limits": ["init_time_ms": 1]], token: staff)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors["bump"] == "is required" && missing.fieldErrors["referee_source"] == "is required")
            #expect(missing.fieldErrors["limits.turn_time_ms"] == "is required" && missing.fieldErrors["limits.init_time_ms"] == nil)
            var body = Self.versionBody("patch")
            #expect(try await client.send(.post, path, json: body, token: staff).fieldErrors["bump"] == "must be one of major, minor, micro")
            body = Self.versionBody("major")
            body["limits"] = ["init_time_ms": 1000, "turn_time_ms": 0, "max_turns": 1, "memory_mb": 1]
            #expect(try await client.send(.post, path, json: body, token: staff).fieldErrors["limits.turn_time_ms"] == "must be positive")
            #expect(try await client.send(.post, "/api/v1/games/no-such-\(slug)/versions", json: Self.versionBody("major"), token: staff).status == .notFound)
        }
    }

    @Test func roomsLeaderboardsAndQueues() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (slug, rooms) = try await Self.gameWithRooms(client, harness)
            let ranking = try #require(rooms["ranking"])
            let room = try await client.send(.get, "/api/v1/rooms/\(ranking)")
            #expect(room.status == .ok && room.json["kind"] as? String == "ranking" && room.json["game_slug"] as? String == slug)
            #expect(room.json["version"] as? String == "1.0.0" && room.json["major"] as? Int == 1)
            for bad in ["abc", "-3", "0", "1.5"] {
                let response = try await client.send(.get, "/api/v1/rooms/\(bad)")
                #expect(response.status == .badRequest && response.problemType == "bad-request", "\(bad)")
            }
            #expect(try await client.send(.get, "/api/v1/rooms/987654321").status == .notFound)

            var ids: [Int] = []
            for (mu, sigma) in [(20.0, 1.0), (30.0, 2.0), (40.0, 9.0)] {
                let bot = try await client.send(.post, "/api/v1/rooms/\(ranking)/bots", json: ["language": "c", "source": "x"], token: harness.token("user").token)
                let id = try #require(bot.json["id"] as? Int)
                fakes.matches.updateBot(Int64(id)) { $0.mu = mu; $0.sigma = sigma; $0.games = Int32(mu / 10) }
                ids.append(id)
            }
            let board = try await client.send(.get, "/api/v1/rooms/\(ranking)/leaderboard?limit=2")
            #expect(board.status == .ok, "\(board.bodyText)")
            let entries = board.json["items"] as? [[String: Any]] ?? []
            // Ordinals 24, 17, 13.
            #expect(entries.compactMap { ($0["bot"] as? [String: Any])?["id"] as? Int } == [ids[1], ids[0]])
            #expect(entries.first?["position"] as? Int == 1 && entries.first?["ordinal"] as? Int == 24 && entries.first?["games"] as? Int == 3)
            #expect(entries.first?["mu"] as? Int == 30 && entries.first?["sigma"] as? Int == 2 && entries.first?["rating"] as? String == "30.00 ± 2.00")
            #expect(!board.bodyText.contains("\"source\""))
            #expect(fakes.matches.state.withLock { $0.leaderboardRequests.last { $0.roomId == Int64(ranking) }?.limit } == 2)
            let badLimit = try await client.send(.get, "/api/v1/rooms/\(ranking)/leaderboard?limit=5000")
            #expect(badLimit.status == .unprocessableContent && badLimit.fieldErrors["limit"] == "must be an integer from 1 to 1000")

            let queue = try await client.send(.get, "/api/v1/rooms/\(ranking)/queue")
            #expect(queue.status == .ok)
            let queued = queue.json["bots"] as? [[String: Any]] ?? []
            #expect(queued.compactMap { $0["id"] as? Int } == ids)
            #expect(queued.first?["placement_remaining"] as? Int == 5 && queued.first?["games"] as? Int == 2)
            #expect((queue.json["matches"] as? [Any])?.isEmpty == true)
            #expect(try await client.send(.get, "/api/v1/rooms/x/queue").status == .badRequest)
        }
    }

    @Test func botsAreSubmittedListedAndTheirSourceIsTheOwners() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (_, rooms) = try await Self.gameWithRooms(client, harness)
            let general = try #require(rooms["general"])
            let path = "/api/v1/rooms/\(general)/bots"
            let body: [String: Any] = ["language": "c", "source": "int main() { puts(\"move\"); }"]
            #expect(try await client.send(.post, path, json: body).status == .unauthorized)

            let (account, access, _) = try await client.signedInUser()
            let first = try await client.send(.post, path, json: body, token: access)
            #expect(first.status == .created, "\(first.bodyText)")
            let id = try #require(first.json["id"] as? Int)
            #expect(first.headers[.location] == "/api/v1/bots/\(id)")
            #expect(first.json["user_id"] as? Int == account.id && first.json["version"] as? Int == 1 && first.json["active"] as? Bool == true)
            #expect(first.json["source"] as? String == "int main() { puts(\"move\"); }")
            let second = try await client.send(.post, path, json: ["language": "python", "source": "print(1)"], token: access)
            #expect(second.json["version"] as? Int == 2)
            let secondID = try #require(second.json["id"] as? Int)

            // Source: the owner and staff; not other users nor anonymous callers.
            let owner = try await client.send(.get, "/api/v1/bots/\(id)", token: access)
            #expect(owner.json["source"] as? String == "int main() { puts(\"move\"); }" && owner.json["active"] as? Bool == false)
            #expect(try await client.send(.get, "/api/v1/bots/\(id)", token: harness.token("staff").token).json["source"] != nil)
            for token in [nil, harness.token("user").token] {
                let other = try await client.send(.get, "/api/v1/bots/\(id)", token: token)
                #expect(other.status == .ok && other.json["id"] as? Int == id && other.json["source"] == nil)
                #expect(!other.bodyText.contains("puts"))
            }
            // Anonymous callers do not even make Submissions send it.
            #expect(fakes.matches.state.withLock { $0.botRequests.last { $0.botId == Int64(id) } }?.includeSource == true)
            _ = try await client.send(.get, "/api/v1/bots/\(id)")
            #expect(fakes.matches.state.withLock { $0.botRequests.last { $0.botId == Int64(id) } }?.includeSource == false)

            let mine = try await client.send(.get, "\(path)?user=\(account.username)")
            #expect((mine.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [secondID, id])
            #expect(!mine.bodyText.contains("\"source\""))
            let active = try await client.send(.get, "\(path)?user=\(account.username)&active=true")
            #expect((active.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [secondID])
            let paged = try await client.send(.get, "\(path)?user=\(account.username)&page_size=1")
            let token = try #require(paged.json["next_page_token"] as? String)
            let rest = try await client.send(.get, "\(path)?user=\(account.username)&page_size=1&page_token=\(token)")
            #expect((rest.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [id])
            #expect((try await client.send(.get, "\(path)?user=nobody_\(account.username)").json["items"] as? [Any])?.isEmpty == true)
            #expect(try await client.send(.get, "\(path)?active=yes").fieldErrors["active"] == "must be true or false")

            let history = try await client.send(.get, "/api/v1/bots/\(id)/ratings")
            let points = history.json["items"] as? [[String: Any]] ?? []
            #expect(points.count == 1 && points.first?["match_id"] is NSNull && points.first?["rating"] as? String == "25.00 ± 8.33")
            #expect(try await client.send(.get, "/api/v1/bots/abc").status == .badRequest)
            #expect(try await client.send(.get, "/api/v1/bots/987654321/ratings").status == .notFound)
        }
    }

    @Test func badBotsAreRefused() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let (_, rooms) = try await Self.gameWithRooms(client, harness)
            let path = "/api/v1/rooms/\(try #require(rooms["practice"]))/bots"
            let user = harness.token("user").token
            #expect(try await client.send(.post, path, json: [:], token: user).fieldErrors == ["language": "is required", "source": "is required"])
            let big = String(repeating: "x", count: (64 << 10) + 1)
            let tooBig = try await client.send(.post, path, json: ["language": "c", "source": big], token: user)
            #expect(tooBig.fieldErrors["source"] == "must be at most 65536 bytes long")
            #expect(try await client.send(.post, path, json: ["language": "cobol", "source": "x"], token: user).fieldErrors["language"] == "is not a judge language")
            #expect(try await client.send(.post, "/api/v1/rooms/987654321/bots", json: ["language": "c", "source": "x"], token: user).status == .notFound)
            #expect(try await client.send(.post, "/api/v1/rooms/nope/bots", json: ["language": "c", "source": "x"], token: user).status == .badRequest)
        }
    }

    @Test func userStatistics() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (slug, rooms) = try await Self.gameWithRooms(client, harness)
            let (account, access, _) = try await client.signedInUser()
            let empty = try await client.send(.get, "/api/v1/users/\(account.username)/stats")
            #expect(empty.status == .ok && empty.json["games"] as? Int == 0 && (empty.json["per_game"] as? [Any])?.isEmpty == true)

            for kind in ["general", "ranking"] {
                let bot = try await client.send(.post, "/api/v1/rooms/\(try #require(rooms[kind]))/bots", json: ["language": "c", "source": "x"], token: access)
                fakes.matches.updateBot(Int64(try #require(bot.json["id"] as? Int))) { $0.games = 4; $0.wins = 1; $0.mu = 31; $0.sigma = 1.5 }
            }
            let stats = try await client.send(.get, "/api/v1/users/\(account.username)/stats")
            #expect(stats.json["user_id"] as? Int == account.id && stats.json["username"] as? String == account.username)
            #expect(stats.json["games"] as? Int == 8 && stats.json["wins"] as? Int == 2 && stats.json["bots"] as? Int == 2)
            let game = (stats.json["per_game"] as? [[String: Any]])?.first
            #expect(game?["game_slug"] as? String == slug && game?["win_rate"] as? Double == 0.25)
            #expect((game?["best_rating"] as? [String: Any])?["rating"] as? String == "31.00 ± 1.50")
            #expect(try await client.send(.get, "/api/v1/users/nobody_\(account.username)/stats").status == .notFound)
        }
    }
}
