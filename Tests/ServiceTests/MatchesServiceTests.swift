import AlgoProto
import Foundation
import NIOCore
import RPC
import Testing

/// The Matches service's refusals and bookkeeping over real RPC, without a judge: bad input gets
/// a status naming the field, the judge's calls are safe to repeat, and leaderboards survive Redis
/// losing its data.
@Suite("Matches service", .serialized)
struct MatchesServiceTests {
    static func failure(_ body: () async throws -> Void) async -> (code: RPCStatusCode?, fields: Set<String>) {
        do {
            try await body()
            return (nil, [])
        } catch let error as RPCError {
            let details = try? CommonV1.ErrorDetails(decoding: ByteBuffer(bytes: error.details))
            return (error.code, Set((details?.fieldViolations ?? []).map(\.field)))
        } catch {
            return (.unknown, [])
        }
    }

    @Test func badBotsAndChallengesAreRefusedWithTheField() async throws {
        try await JudgingStack.with(submissionsEnvironment: ["MAX_OPEN_CHALLENGES": "2"]) { stack in
            let (_, rooms) = try await stack.createGame("connect-four", referee: "connect-four/referee.c")
            let room = try #require(rooms[.practice])
            let other = try #require(rooms[.general])
            let program = try JudgingStack.program("connect-four/bots/c/random.c")

            var submit = SubmissionsV1.SubmitBotRequest()
            submit.userId = 601
            submit.roomId = room.id
            submit.language = "rust"
            submit.sourceCode = "   "
            #expect(await Self.failure { _ = try await stack.matches.submitBot(submit) }.fields == ["language", "source_code"])
            submit.language = program.language
            submit.sourceCode = program.source
            submit.roomId = 987_654_321
            #expect(await Self.failure { _ = try await stack.matches.submitBot(submit) }.code == .notFound)

            // Versions: the newest is active, the older one stays readable.
            let first = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 601)
            let second = try await stack.submitBot("connect-four/bots/c/smart.c", room: room, user: 601)
            #expect(second.version == 2 && second.active)
            #expect(try await stack.bot(first.id).active == false)
            var list = SubmissionsV1.ListBotsRequest()
            list.roomId = room.id
            list.userId = 601
            #expect(try await stack.matches.listBots(list).bots.map(\.id) == [second.id, first.id])
            list.activeOnly = true
            #expect(try await stack.matches.listBots(list).bots.map(\.id) == [second.id])
            var get = SubmissionsV1.GetBotRequest()
            get.botId = second.id
            #expect(try await stack.matches.getBot(get).bot?.sourceCode == "")
            get.includeSource = true
            #expect(try await stack.matches.getBot(get).bot?.sourceCode.contains("main") == true)

            let opponent = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 602)
            let elsewhere = try await stack.submitBot("connect-four/bots/c/random.c", room: other, user: 603)
            // No bot of one's own in the room yet.
            #expect(await Self.failure { _ = try await stack.challenge(room, user: 604, opponents: [opponent.id]) }.code == .failedPrecondition)
            let cases: [([Int64], String)] = [
                ([], "opponent_bot_ids"), ([opponent.id, opponent.id], "opponent_bot_ids"),
                ([elsewhere.id], "opponent_bot_ids[0]"), ([second.id], "opponent_bot_ids[0]"), ([opponent.id, first.id], "opponent_bot_ids"),
            ]
            for (opponents, field) in cases {
                let result = await Self.failure { _ = try await stack.challenge(room, user: 601, opponents: opponents) }
                #expect(result.code == .invalidArgument && result.fields.contains(field), "\(opponents): \(result)")
            }
            // An older version of one's own bot may play the active one; two open challenges at most.
            let match = try await stack.challenge(room, user: 601, opponents: [first.id])
            #expect(match.status == .queued && match.players.map(\.botId) == [second.id, first.id] && match.seed == 42)
            _ = try await stack.challenge(room, user: 601, opponents: [opponent.id])
            #expect(await Self.failure { _ = try await stack.challenge(room, user: 601, opponents: [opponent.id]) }.code == .resourceExhausted)

            // The judge's calls: a stale or malformed job changes nothing.
            var start = SubmissionsV1.StartMatchRequest()
            start.matchId = match.id
            start.jobId = "not-a-uuid"
            #expect(await Self.failure { _ = try await stack.matches.startMatch(start) }.fields == ["job_id"])
            start.jobId = UUID().uuidString
            #expect(try await stack.matches.startMatch(start).staleJob)
            var complete = SubmissionsV1.CompleteMatchRequest()
            complete.matchId = match.id
            complete.jobId = UUID().uuidString
            #expect(try await stack.matches.completeMatch(complete).staleJob)
            #expect(try await stack.match(match.id).status == .queued)

            var replay = SubmissionsV1.GetReplayRequest()
            replay.matchId = match.id
            #expect(await Self.failure { _ = try await stack.matches.getReplay(replay) }.code == .notFound)
            var history = SubmissionsV1.GetRatingHistoryRequest()
            history.botId = 987_654_321
            #expect(await Self.failure { _ = try await stack.matches.getRatingHistory(history) }.code == .notFound)
            var leaderboard = SubmissionsV1.GetLeaderboardRequest()
            leaderboard.roomId = room.id
            #expect(try await stack.matches.getLeaderboard(leaderboard).entries.isEmpty, "only ranking rooms have a leaderboard")
            leaderboard.limit = 5000
            #expect(await Self.failure { _ = try await stack.matches.getLeaderboard(leaderboard) }.fields == ["limit"])
        }
    }

    @Test func theLeaderboardIsRebuiltWhenRedisLosesIt() async throws {
        try await JudgingStack.with { stack in
            let (_, rooms) = try await stack.createGame("connect-four", referee: "connect-four/referee.c")
            let room = try #require(rooms[.ranking])
            let a = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 701)
            let b = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 702)
            var request = SubmissionsV1.GetLeaderboardRequest()
            request.roomId = room.id
            #expect(Set(try await stack.matches.getLeaderboard(request).entries.compactMap(\.bot?.id)) == [a.id, b.id])
            // A new version replaces the old one on the board.
            let a2 = try await stack.submitBot("connect-four/bots/c/smart.c", room: room, user: 701)
            #expect(Set(try await stack.matches.getLeaderboard(request).entries.compactMap(\.bot?.id)) == [a2.id, b.id])

            stack.redis.stop()
            // Redis down: the board comes from PostgreSQL.
            #expect(Set(try await stack.matches.getLeaderboard(request).entries.compactMap(\.bot?.id)) == [a2.id, b.id])
            try stack.redis.start()
            // Redis back, empty: rebuilt from PostgreSQL.
            let deadline = ContinuousClock.now + .seconds(20)
            var ids: Set<Int64> = []
            while ContinuousClock.now < deadline {
                if let entries = try? await stack.matches.getLeaderboard(request).entries {
                    ids = Set(entries.compactMap(\.bot?.id))
                    if ids == [a2.id, b.id] { break }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(ids == [a2.id, b.id])
        }
    }
}
