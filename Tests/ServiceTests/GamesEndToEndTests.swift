import AlgoProto
import Foundation
import Glibc
import RPC
import Testing

/// Games over real RPC: Problems, Submissions and JudgeService processes, PostgreSQL, a private
/// Redis and the real sandbox, playing the shipped games with the shipped bots.
@Suite("Games end to end", .serialized)
struct GamesEndToEndTests {
    /// A ranked season: four bots in C and Python, placement matches first, then pairing by
    /// rating; the leaderboard puts both sensible bots above both random movers.
    @Test func rankedSeasonOrdersBotsByStrength() async throws {
        let environment = ["RANKED_MATCHES_PER_ROOM": "2", "RANKED_INTERVAL_MS": "100", "RANKED_PLACEMENT_MATCHES": "3"]
        try await JudgingStack.with(submissionsEnvironment: environment) { stack in
            try stack.startJudge()
            let (game, rooms) = try await stack.createGame("connect-four", referee: "connect-four/referee.c")
            let room = try #require(rooms[.ranking])
            // Users of their own: statistics span every room, and the test database outlives a run.
            let user = Int64.random(in: 1_000...1_000_000_000)
            let smartC = try await stack.submitBot("connect-four/bots/c/smart.c", room: room, user: user)
            let smartPython = try await stack.submitBot("connect-four/bots/python/smart.py", room: room, user: user + 1)
            let randomC = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: user + 2)
            let randomPython = try await stack.submitBot("connect-four/bots/python/random.py", room: room, user: user + 3)
            #expect(smartC.placementRemaining == 3 && smartC.active && smartC.version == 1)

            // The season: until every bot has played 10 games.
            var queue = SubmissionsV1.GetRankedQueueRequest()
            queue.roomId = room.id
            let deadline = ContinuousClock.now + .seconds(400)
            while try await stack.matches.getRankedQueue(queue).bots.contains(where: { $0.games < 10 }) {
                try #require(ContinuousClock.now < deadline, "the season did not reach 10 games per bot in time")
                try await Task.sleep(for: .milliseconds(250))
            }

            var request = SubmissionsV1.GetLeaderboardRequest()
            request.roomId = room.id
            let entries = try await stack.matches.getLeaderboard(request).entries
            let order = entries.compactMap(\.bot?.id)
            #expect(Set(order) == [smartC.id, smartPython.id, randomC.id, randomPython.id])
            #expect(Set(order.prefix(2)) == [smartC.id, smartPython.id], "leaderboard: \(entries.map { ($0.bot?.id ?? 0, $0.ordinal) })")
            #expect(entries.map(\.ordinal) == entries.map(\.ordinal).sorted(by: >))
            #expect(entries.map(\.position) == [1, 2, 3, 4])

            // Every finished match was rated exactly once: each bot's games are its finished matches.
            let finished = try await stack.roomMatches(room.id).filter { $0.status == .done }
            #expect(finished.contains { $0.kind == .placement } && finished.contains { $0.kind == .ranked })
            #expect(finished.allSatisfy { $0.rated && $0.players.allSatisfy { $0.sigmaAfter > 0 && $0.sigmaAfter < $0.sigmaBefore } })
            for id in [smartC.id, smartPython.id, randomC.id, randomPython.id] {
                let bot = try await stack.bot(id)
                let played = finished.filter { $0.players.contains { $0.botId == id } }
                // Matches finishing between the two reads are counted by one and not the other.
                #expect(abs(Int(bot.games) - played.count) <= 2, "bot \(id): \(bot.games) games, \(played.count) finished matches")
                #expect(bot.placementRemaining == 0)
                var history = SubmissionsV1.GetRatingHistoryRequest()
                history.botId = id
                let points = try await stack.matches.getRatingHistory(history).points
                #expect(points.count >= 11 && points[0].matchId == 0)
                // Each match starts from the rating the previous one left.
                for (previous, next) in zip(points.dropFirst(), points.dropFirst(2)) {
                    let before = finished.first { $0.id == next.matchId }?.players.first { $0.botId == id }
                    if let before { #expect(abs(before.muBefore - previous.mu) < 1e-9) }
                }
            }

            // Statistics: the sensible C bot wins most of its games.
            var statistics = SubmissionsV1.GetUserStatisticsRequest()
            statistics.userId = user
            let stats = try await stack.matches.getUserStatistics(statistics)
            let perGame = try #require(stats.perGame.first { $0.gameId == game.id })
            #expect(perGame.games >= 10 && perGame.winRate > 0.5 && stats.bots == 1)
            #expect(perGame.bestMu > 25)
            #expect(perGame.bestBotId == smartC.id && perGame.ratingHistory.count >= 11 && perGame.ratingHistory.last?.mu == perGame.bestMu)

            // A replay: gzip JSON naming the game, its version and every move.
            let match = try #require(finished.first)
            var replayRequest = SubmissionsV1.GetReplayRequest()
            replayRequest.matchId = match.id
            let replay = try Self.gunzip(try await stack.matches.getReplay(replayRequest).replayGzip)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(replay)) as? [String: Any])
            #expect(document["format"] as? Int == 1)
            #expect(document["game"] as? String == game.slug)
            #expect(document["game_version"] as? String == "1.0.0")
            #expect(document["seed"] as? String == String(match.seed))
            #expect(((document["frames"] as? [Any])?.count ?? 0) >= 7)
            #expect((document["result"] as? [[String: Any]])?.count == 2)

            // Logs: only the caller's own bots.
            let owner = match.players[0].userId
            var logs = SubmissionsV1.GetMatchLogsRequest()
            logs.matchId = match.id
            logs.userId = owner
            #expect(try await stack.matches.getMatchLogs(logs).players.map(\.userId) == [owner])
            logs.userId = 999_999
            #expect(try await stack.matches.getMatchLogs(logs).players.isEmpty)
        }
    }

    /// Bots that crash, hang, print garbage or eat memory lose, with the reason recorded, and
    /// each match still ends. Challenges are never rated.
    @Test func misbehavingBotsLoseAndTheMatchEnds() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let (_, rooms) = try await stack.createGame("connect-four", referee: "connect-four/referee.c")
            let room = try #require(rooms[.practice])
            let smart = try await stack.submitBot("connect-four/bots/c/smart.c", room: room, user: 201)
            let cases: [(String, SubmissionsV1.PlayerStatus)] = [
                ("testing/crash.c", .crash), ("testing/hang.c", .timeout), ("testing/garbage.py", .kicked),
                ("testing/hog.c", .crash), ("testing/sleeper.py", .timeout),
            ]
            var started: [(Int64, SubmissionsV1.PlayerStatus)] = []
            for (index, (file, _)) in cases.enumerated() {
                let user = Int64(210 + index)
                let bad = try await stack.submitBot(file, room: room, user: user)
                started.append((try await stack.challenge(room, user: user, opponents: [smart.id]).id, cases[index].1))
                #expect(bad.placementRemaining == 0)
            }
            for (id, expected) in started {
                let match = try await stack.waitUntilFinished(id)
                #expect(match.status == .done && !match.rated && match.kind == .challenge)
                let loser = try #require(match.players.first { $0.botId != smart.id })
                let winner = try #require(match.players.first { $0.botId == smart.id })
                #expect(loser.status == expected, "match \(id): \(loser.status) \(loser.reason)")
                #expect(loser.rank == 2 && winner.rank == 1 && winner.status == .ok)
                #expect(winner.muAfter == 0, "a challenge changes no rating")
            }
            #expect(try await stack.bot(smart.id).mu == 25)
        }
    }

    /// A referee that crashes is a system error: the match is played again, and after the last
    /// attempt it ends FAILED, without a result and without ratings.
    @Test func aCrashingRefereeIsRetriedAndNeverRated() async throws {
        try await JudgingStack.with(submissionsEnvironment: ["MATCH_MAX_ATTEMPTS": "2"]) { stack in
            try stack.startJudge()
            let (_, rooms) = try await stack.createGame("broken-referee", referee: "testing/referee-crash.c")
            let room = try #require(rooms[.general])
            let one = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 301)
            _ = try await stack.submitBot("connect-four/bots/c/random.c", room: room, user: 302)
            let match = try await stack.waitUntilFinished(try await stack.challenge(room, user: 302, opponents: [one.id]).id)
            #expect(match.status == .failed)
            #expect(match.attempt == 2)
            #expect(!match.error.isEmpty)
            #expect(match.players.allSatisfy { $0.rank == 0 })
            #expect(try await stack.bot(one.id).games == 0)
        }
    }

    /// Light Cycles, a free-for-all: three bots in one match, ranked 1 to 3 (ties allowed), and the
    /// same again from the same seed.
    @Test func aFreeForAllRanksEveryPlayer() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let (_, rooms) = try await stack.createGame("light-cycles", referee: "light-cycles/referee.c", players: 2...4, maxTurns: 2000)
            let room = try #require(rooms[.general])
            let a = try await stack.submitBot("light-cycles/bots/c/smart.c", room: room, user: 401)
            let b = try await stack.submitBot("light-cycles/bots/python/random.py", room: room, user: 402)
            _ = try await stack.submitBot("light-cycles/bots/c/random.c", room: room, user: 403)
            let match = try await stack.waitUntilFinished(try await stack.challenge(room, user: 403, opponents: [a.id, b.id], seed: 7).id)
            #expect(match.status == .done, "\(match.error)")
            #expect(match.players.count == 3)
            #expect(match.players.allSatisfy { (1...3).contains($0.rank) } && match.players.contains { $0.rank == 1 })
            #expect(match.turns > 0 && match.hasReplay)

            // Deterministic: the same seed and seats play the same match, move for move.
            let again = try await stack.waitUntilFinished(try await stack.challenge(room, user: 403, opponents: [a.id, b.id], seed: 7).id)
            #expect(again.players.map(\.rank) == match.players.map(\.rank) && again.turns == match.turns)
            var replay = SubmissionsV1.GetReplayRequest()
            replay.matchId = match.id
            let first = try Self.gunzip(try await stack.matches.getReplay(replay).replayGzip)
            replay.matchId = again.id
            #expect(try Self.gunzip(try await stack.matches.getReplay(replay).replayGzip) == first)
        }
    }

    /// JudgeService killed in the middle of a match: another judge takes the match over, and it
    /// finishes and is rated once.
    @Test func aJudgeKilledMidMatchLeavesTheMatchRatedOnce() async throws {
        let environment = ["RANKED_MATCHES_PER_ROOM": "1", "RANKED_INTERVAL_MS": "100", "RANKED_PLACEMENT_MATCHES": "1"]
        try await JudgingStack.with(submissionsEnvironment: environment) { stack in
            try stack.startJudge(claimIdleMilliseconds: 2000)
            let (_, rooms) = try await stack.createGame("connect-four", referee: "connect-four/referee.c", turnTimeMs: 1000)
            let room = try #require(rooms[.ranking])
            // Slow but valid: each move burns about 150 ms of CPU, so a match lasts seconds.
            let slow = try await stack.submitBot("testing/slow.py", room: room, user: 501)
            let other = try await stack.submitBot("testing/slow.py", room: room, user: 502)

            var running: SubmissionsV1.Match?
            let deadline = ContinuousClock.now + .seconds(60)
            while running == nil, ContinuousClock.now < deadline {
                running = try await stack.roomMatches(room.id).first { $0.status == .running }
                try await Task.sleep(for: .milliseconds(50))
            }
            let interrupted = try #require(running, "no match started")
            try await Task.sleep(for: .milliseconds(500))
            stack.killJudge()
            #expect(try await stack.match(interrupted.id).status == .running)
            try stack.startJudge(claimIdleMilliseconds: 2000)

            let finished = try await stack.waitUntilFinished(interrupted.id)
            #expect(finished.status == .done && finished.rated, "\(finished.status): \(finished.error)")
            #expect(finished.attempt == 1, "a lost judge is nobody's system error")
            // Rated once: the bots' game counts are exactly their finished matches.
            try await Task.sleep(for: .seconds(1))
            let matches = try await stack.roomMatches(room.id)
            for id in [slow.id, other.id] {
                let bot = try await stack.bot(id)
                let done = matches.filter { $0.status == .done && $0.players.contains { $0.botId == id } }.count
                let after = try await stack.roomMatches(room.id).filter { $0.status == .done && $0.players.contains { $0.botId == id } }.count
                #expect((done...after).contains(Int(bot.games)), "bot \(id): \(bot.games) games, \(done)–\(after) finished matches")
            }
        }
    }

    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gzip -d failed")
        return Array(data)
    }
}
