import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// /api/v1/matches against the in-memory Games and Matches services over real RPC.
@Suite struct MatchRouteTests {
    struct Player {
        var account: Account
        var access: String
        var bot: Int
    }

    /// A room and two signed-in users with a bot each in it.
    static func arena(_ client: some TestClientProtocol, _ harness: EdgeHarness, kind: String = "general") async throws -> (room: Int, players: [Player]) {
        let (_, rooms) = try await GameRouteTests.gameWithRooms(client, harness)
        let room = try #require(rooms[kind])
        var players: [Player] = []
        for _ in 0..<2 {
            let (account, access, _) = try await client.signedInUser()
            let bot = try await client.send(.post, "/api/v1/rooms/\(room)/bots", json: ["language": "c", "source": "x"], token: access)
            players.append(Player(account: account, access: access, bot: try #require(bot.json["id"] as? Int)))
        }
        return (room, players)
    }

    static func challenge(_ client: some TestClientProtocol, room: Int, _ challenger: Player, _ opponent: Player) async throws -> Int64 {
        let response = try await client.send(.post, "/api/v1/matches", json: ["room_id": room, "opponents": [opponent.bot]], token: challenger.access)
        #expect(response.status == .created, "\(response.bodyText)")
        return Int64(try #require(response.json["id"] as? Int))
    }

    /// Finishes a match as the judge would: ranks, scores, logs, and ratings when rated.
    static func finish(_ matches: FakeMatches, _ id: Int64, rated: Bool) {
        matches.updateMatch(id) { match in
            match.status = .done
            match.rated = rated
            match.turns = 42
            match.finishedAtMs = 1_700_000_100_000
            match.hasReplay = true
            for index in match.players.indices {
                match.players[index].rank = Int32(index + 1)
                match.players[index].score = index == 0 ? 10 : 2.5
                match.players[index].status = index == 0 ? .ok : .timeout
                match.players[index].reason = index == 0 ? "" : "no answer within 100 ms"
                match.players[index].cpuTimeMs = 120
                match.players[index].memoryKb = 2048
                match.players[index].log = "stderr of player \(index + 1)"
                match.players[index].muBefore = 25
                match.players[index].sigmaBefore = 8.333
                match.players[index].muAfter = index == 0 ? 27.5 : 22.5
                match.players[index].sigmaAfter = 7.25
            }
        }
    }

    @Test func challengeThenReadTheResult() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness)
            let body: [String: Any] = ["room_id": room, "opponents": [players[1].bot], "seed": "18446744073709551615"]
            #expect(try await client.send(.post, "/api/v1/matches", json: body).status == .unauthorized)

            let created = try await client.send(.post, "/api/v1/matches", json: body, token: players[0].access)
            #expect(created.status == .created, "\(created.bodyText)")
            let id = try #require(created.json["id"] as? Int)
            #expect(created.headers[.location] == "/api/v1/matches/\(id)")
            #expect(created.json["seed"] as? String == "18446744073709551615")
            #expect(created.json["status"] as? String == "queued" && created.json["kind"] as? String == "challenge")
            #expect(created.json["created_by"] as? Int == players[0].account.id && created.json["finished_at"] is NSNull)
            let seats = created.json["players"] as? [[String: Any]] ?? []
            #expect(seats.compactMap { $0["bot_id"] as? Int } == [players[0].bot, players[1].bot])
            #expect(seats.first?["rank"] is NSNull && seats.first?["status"] is NSNull)
            let forwarded = try #require(fakes.matches.state.withLock { $0.challenges.last { $0.roomId == Int64(room) } })
            #expect(forwarded.userId == Int64(players[0].account.id) && forwarded.seed == UInt64.max)
            #expect(forwarded.opponentBotIds == [Int64(players[1].bot)])

            Self.finish(fakes.matches, Int64(id), rated: true)
            for token in [nil, players[1].access] {
                let match = try await client.send(.get, "/api/v1/matches/\(id)", token: token)
                #expect(match.status == .ok && match.json["status"] as? String == "done" && match.json["turns"] as? Int == 42)
                #expect(match.json["finished_at"] as? String == "2023-11-14T22:15:00.000Z" && match.json["has_replay"] as? Bool == true)
                let results = match.json["players"] as? [[String: Any]] ?? []
                #expect(results.compactMap { $0["rank"] as? Int } == [1, 2])
                #expect(results.compactMap { $0["status"] as? String } == ["ok", "timeout"])
                #expect(results.last?["reason"] as? String == "no answer within 100 ms" && results.last?["score"] as? Double == 2.5)
                #expect(results.first?["cpu_time_ms"] as? Int == 120 && results.first?["memory_kb"] as? Int == 2048)
                #expect((results.first?["rating_before"] as? [String: Any])?["rating"] as? String == "25.00 ± 8.33")
                #expect((results.first?["rating_after"] as? [String: Any])?["mu"] as? Double == 27.5)
                #expect(!match.bodyText.contains("stderr of player"))
            }
            let unrated = try await Self.challenge(client, room: room, players[1], players[0])
            Self.finish(fakes.matches, unrated, rated: false)
            let plain = try await client.send(.get, "/api/v1/matches/\(unrated)")
            #expect((plain.json["players"] as? [[String: Any]])?.allSatisfy { $0["rating_before"] is NSNull && $0["rating_after"] is NSNull } == true)

            #expect(try await client.send(.get, "/api/v1/matches/987654321").status == .notFound)
            for bad in ["abc", "-1", "0", "99999999999999999999"] {
                let response = try await client.send(.get, "/api/v1/matches/\(bad)")
                #expect(response.status == .badRequest && response.problemType == "bad-request", "\(bad)")
            }
        }
    }

    @Test func badChallengesAreRefused() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness)
            let access = players[0].access
            let missing = try await client.send(.post, "/api/v1/matches", json: [:], token: access)
            #expect(missing.fieldErrors == ["room_id": "is required", "opponents": "must list at least one bot id"])
            for seed in ["abc", "-1", "0", "18446744073709551616"] {
                let response = try await client.send(.post, "/api/v1/matches", json: ["room_id": room, "opponents": [players[1].bot], "seed": seed], token: access)
                #expect(response.status == .unprocessableContent && response.fieldErrors["seed"] != nil, "\(seed)")
            }
            let numericSeed = try await client.send(.post, "/api/v1/matches", json: ["room_id": room, "opponents": [players[1].bot], "seed": 7], token: access)
            #expect(numericSeed.fieldErrors["seed"] == "must be a string")
            // The service's answers: a foreign bot, no bot of one's own, no such room.
            let foreign = try await client.send(.post, "/api/v1/matches", json: ["room_id": room, "opponents": [987654321]], token: access)
            #expect(foreign.status == .unprocessableContent && foreign.fieldErrors["opponents"] == "are not all bots of this room")
            let botless = try await client.send(.post, "/api/v1/matches", json: ["room_id": room, "opponents": [players[1].bot]], token: harness.token("user").token)
            #expect(botless.status == .conflict && botless.json["detail"] as? String == "you have no active bot in this room")
            let noRoom = try await client.send(.post, "/api/v1/matches", json: ["room_id": 987654321, "opponents": [players[1].bot]], token: access)
            #expect(noRoom.status == .notFound)
        }
    }

    @Test func logsAreVisibleToTheirOwnerOnly() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness)
            let id = try await Self.challenge(client, room: room, players[0], players[1])
            Self.finish(fakes.matches, id, rated: false)
            let path = "/api/v1/matches/\(id)/logs"
            #expect(try await client.send(.get, path).status == .unauthorized)
            for (index, player) in players.enumerated() {
                let logs = try await client.send(.get, path, token: player.access)
                #expect(logs.status == .ok && logs.json["match_id"] as? Int == Int(id))
                let items = logs.json["items"] as? [[String: Any]] ?? []
                #expect(items.count == 1 && items.first?["bot_id"] as? Int == player.bot)
                #expect(items.first?["log"] as? String == "stderr of player \(index + 1)")
                #expect(!logs.bodyText.contains("stderr of player \(2 - index)"))
            }
            let staff = harness.token("staff")
            let stranger = try await client.send(.get, path, token: staff.token)
            #expect(stranger.status == .ok && (stranger.json["items"] as? [Any])?.isEmpty == true)
            #expect(fakes.matches.state.withLock { $0.logRequests.last { $0.matchId == id }?.userId } == staff.id)
            #expect(try await client.send(.get, "/api/v1/matches/987654321/logs", token: staff.token).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/matches/abc/logs", token: staff.token).status == .badRequest)
        }
    }

    @Test func replaysDownloadAsGzipFiles() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness)
            let id = try await Self.challenge(client, room: room, players[0], players[1])
            let path = "/api/v1/matches/\(id)/replay"
            let none = try await client.send(.get, path)
            #expect(none.status == .notFound && none.problemType == "not-found" && none.json["detail"] as? String == "This match has no replay.")

            let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0x00, 0x7F, 0x0A]
            fakes.matches.state.withLock { $0.replays[id] = bytes }
            let replay = try await client.send(.get, path)
            #expect(replay.status == .ok)
            #expect(replay.headers[.contentType] == "application/gzip")
            #expect(replay.headers[.contentDisposition] == "attachment; filename=\"match-\(id).replay.json.gz\"")
            #expect(Array(replay.body.readableBytesView) == bytes)
            #expect(try await client.send(.get, "/api/v1/matches/987654321/replay").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/matches/x/replay").status == .badRequest)
        }
    }

    @Test func listFiltersAndPages() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness)
            let (otherRoom, others) = try await Self.arena(client, harness)
            let first = try await Self.challenge(client, room: room, players[0], players[1])
            let second = try await Self.challenge(client, room: room, players[1], players[0])
            let elsewhere = try await Self.challenge(client, room: otherRoom, others[0], others[1])

            func ids(_ query: String) async throws -> [Int64] {
                let response = try await client.send(.get, "/api/v1/matches?\(query)")
                #expect(response.status == .ok, "\(query): \(response.bodyText)")
                return (response.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? Int).map(Int64.init) }
            }
            #expect(try await ids("room_id=\(room)") == [second, first])
            #expect(try await ids("bot_id=\(others[1].bot)") == [elsewhere])
            #expect(try await ids("user=\(players[0].account.username)") == [second, first])
            #expect(try await ids("user=\(players[0].account.username)&room_id=\(otherRoom)").isEmpty)
            #expect(try await ids("user=nobody_\(players[0].account.username)").isEmpty)

            let page = try await client.send(.get, "/api/v1/matches?room_id=\(room)&page_size=1")
            let token = try #require(page.json["next_page_token"] as? String)
            #expect(try await ids("room_id=\(room)&page_size=1&page_token=\(token)") == [first])

            let bad = try await client.send(.get, "/api/v1/matches?room_id=abc&bot_id=-2")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.fieldErrors == ["room_id": "must be a positive integer", "bot_id": "must be a positive integer"])
        }
    }

    @Test func rankedQueueListsQueuedMatches() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let (room, players) = try await Self.arena(client, harness, kind: "ranking")
            let queued = try await Self.challenge(client, room: room, players[0], players[1])
            let done = try await Self.challenge(client, room: room, players[1], players[0])
            Self.finish(fakes.matches, done, rated: true)
            let queue = try await client.send(.get, "/api/v1/rooms/\(room)/queue")
            #expect((queue.json["matches"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [Int(queued)])
            #expect((queue.json["bots"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == players.map(\.bot))
        }
    }
}
