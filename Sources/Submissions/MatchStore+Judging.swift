import AlgoProto
import Foundation
import Ratings
import ServiceKit

/// The judge's side of a match: start, completion, retries and the ratings, each in one transaction
/// that locks the match row, so that a match is stored and rated exactly once whatever the judge
/// repeats.
extension MatchStore {
    enum StartOutcome: Sendable {
        case notFound
        /// Another job owns the match, or it has ended.
        case stale
        case started(SubmissionsV1.StartMatchResponse, wasQueued: Bool)
    }

    /// Marks the match RUNNING (again, for a job claimed from a dead judge) and returns what the
    /// judge needs to play it.
    func start(matchID: Int64, jobID: String) async throws -> StartOutcome {
        try await self.pool.withTransaction { connection in
            guard let row = try connection.query(
                "SELECT status, seed, game_version_id, current_job_id::text AS job FROM matches WHERE id = $1 FOR UPDATE", [matchID]
            ).first else { return .notFound }
            let status: String = try row.decode("status")
            guard try row.decode("job", as: String.self) == jobID, status == "queued" || status == "running" else { return .stale }
            try connection.execute("UPDATE matches SET status = 'running', last_seen_at = now() WHERE id = $1", [matchID])
            var response = SubmissionsV1.StartMatchResponse()
            response.gameVersionId = try row.decode("game_version_id")
            response.seed = UInt64(bitPattern: try row.decode("seed", as: Int64.self))
            response.bots = try connection.query(
                "SELECT b.id, b.language, b.source_code FROM match_players p JOIN bots b ON b.id = p.bot_id WHERE p.match_id = $1 ORDER BY p.player",
                [matchID]
            ).map { row in
                var bot = SubmissionsV1.MatchBot()
                bot.botId = try row.decode("id")
                bot.language = try row.decode("language")
                bot.sourceCode = try row.decode("source_code")
                return bot
            }
            return .started(response, wasQueued: status == "queued")
        }
    }

    /// A bot's rating after a rated match, for the leaderboard.
    struct RatedBot: Sendable, Equatable {
        var botID: Int64
        var roomID: Int64
        var rating: Rating
        var active: Bool
    }

    enum CompletionOutcome: Sendable {
        case notFound
        case stale
        /// This job's completion was already accepted; nothing changed.
        case repeated
        case done(SubmissionsV1.Match, rated: [RatedBot])
        /// The referee failed with attempts left: the match is QUEUED again under a new job.
        case retry(QueuedMatch)
        /// The referee failed on the last attempt.
        case failed(SubmissionsV1.Match)
    }

    static let maximumLogBytes = 64 << 10

    func complete(_ request: SubmissionsV1.CompleteMatchRequest) async throws -> CompletionOutcome {
        let model = self.model
        let maxAttempts = self.maxAttempts
        return try await self.pool.withTransaction { connection in
            guard let row = try connection.query(
                "SELECT current_job_id::text AS job, attempt, status, rated, room_id FROM matches WHERE id = $1 FOR UPDATE", [request.matchId]
            ).first else { return .notFound }
            let completed = try connection.query(
                "SELECT completed_at IS NOT NULL AS completed FROM match_jobs WHERE id = $1::uuid AND match_id = $2",
                [request.jobId, request.matchId]
            ).first
            if let completed, try completed.decode("completed", as: Bool.self) { return .repeated }
            let status: String = try row.decode("status")
            guard try row.decode("job", as: String.self) == request.jobId, status == "queued" || status == "running" else { return .stale }
            let failed = !request.refereeError.isEmpty
            try connection.execute(
                "UPDATE match_jobs SET completed_at = now(), outcome = $2, judge_worker = $3, error = nullif($4, '') WHERE id = $1::uuid",
                [request.jobId, failed ? "referee_failed" : "completed", request.judgeWorker, String(request.refereeError.prefix(2000))]
            )
            let attempt: Int32 = try row.decode("attempt")
            if failed {
                if attempt < maxAttempts {
                    let job = QueuedMatch(jobID: UUID().uuidString.lowercased(), matchID: request.matchId, attempt: attempt + 1)
                    try connection.execute("INSERT INTO match_jobs (id, match_id, attempt) VALUES ($1::uuid, $2, $3)", [job.jobID, job.matchID, job.attempt])
                    try connection.execute(
                        """
                        UPDATE matches SET current_job_id = $2::uuid, attempt = $3, status = 'queued', error = $4,
                            stream_entry_id = NULL, enqueued_at = now(), last_seen_at = now()
                        WHERE id = $1
                        """,
                        [job.matchID, job.jobID, job.attempt, String(request.refereeError.prefix(2000))]
                    )
                    return .retry(job)
                }
                try connection.execute(
                    "UPDATE matches SET status = 'failed', error = $2, judge_worker = $3, finished_at = now() WHERE id = $1",
                    [request.matchId, String(request.refereeError.prefix(2000)), request.judgeWorker]
                )
                return .failed(try Self.read(request.matchId, connection: connection)!)
            }
            let rated = try Self.store(request, rated: try row.decode("rated"), roomID: try row.decode("room_id"), model: model, connection: connection)
            return .done(try Self.read(request.matchId, connection: connection)!, rated: rated)
        }
    }

    /// Stores the players' results, counts games and wins, and applies the ratings of a rated match.
    private static func store(
        _ request: SubmissionsV1.CompleteMatchRequest, rated: Bool, roomID: Int64, model: PlackettLuce, connection: PostgresConnection
    ) throws -> [RatedBot] {
        let seats = try connection.query(
            "SELECT p.player, p.bot_id FROM match_players p WHERE p.match_id = $1 ORDER BY p.player", [request.matchId]
        ).map { (player: try $0.decode("player", as: Int32.self), bot: try $0.decode("bot_id", as: Int64.self)) }
        let results = Dictionary(request.players.map { ($0.player, $0) }, uniquingKeysWith: { first, _ in first })
        guard seats.count >= 2, seats.allSatisfy({ results[$0.player] != nil }) else {
            throw MatchResultError(description: "the result names players \(request.players.map(\.player).sorted()), the match has \(seats.count)")
        }
        let winners = request.players.filter { $0.rank == 1 }.count
        for seat in seats {
            let result = results[seat.player]!
            let won = result.rank == 1 && winners == 1 && result.status == .ok
            try connection.execute(
                """
                UPDATE match_players SET rank = $3, score = $4, status = $5, reason = $6, cpu_time_ms = $7, memory_kb = $8, log = $9
                WHERE match_id = $1 AND player = $2
                """,
                [
                    request.matchId, seat.player, result.rank, result.score, MatchRows.word(result.status, in: MatchRows.playerStatuses),
                    String(result.reason.prefix(500)), result.cpuTimeMs, result.memoryKb, result.log.truncatedUTF8(maxBytes: maximumLogBytes),
                ]
            )
            try connection.execute(
                "UPDATE bots SET games = games + 1, wins = wins + $2, placement_remaining = greatest(placement_remaining - 1, 0) WHERE id = $1",
                [seat.bot, won ? Int32(1) : Int32(0)]
            )
        }
        try connection.execute(
            """
            UPDATE matches SET status = 'done', turns = $2, replay = $3, judge_worker = $4, error = '', finished_at = now()
            WHERE id = $1
            """,
            [request.matchId, request.turns, request.replayGzip.isEmpty ? nil : request.replayGzip, request.judgeWorker]
        )
        guard rated else { return [] }

        // Locked in id order, so that two matches sharing bots never deadlock.
        let bots = try connection.query(
            "SELECT id, mu, sigma, active FROM bots WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
            ["{" + seats.map { String($0.bot) }.joined(separator: ",") + "}"]
        )
        var before: [Int64: (rating: Rating, active: Bool)] = [:]
        for bot in bots {
            before[try bot.decode("id")] = (Rating(mu: try bot.decode("mu"), sigma: try bot.decode("sigma")), try bot.decode("active"))
        }
        let ratings = seats.map { before[$0.bot]!.rating }
        let after = try model.rate(ratings, ranks: seats.map { Int(results[$0.player]!.rank) })
        var changed: [RatedBot] = []
        for (index, seat) in seats.enumerated() {
            try connection.execute("UPDATE bots SET mu = $2, sigma = $3 WHERE id = $1", [seat.bot, after[index].mu, after[index].sigma])
            try connection.execute(
                "UPDATE match_players SET mu_before = $3, sigma_before = $4, mu_after = $5, sigma_after = $6 WHERE match_id = $1 AND player = $2",
                [request.matchId, seat.player, ratings[index].mu, ratings[index].sigma, after[index].mu, after[index].sigma]
            )
            changed.append(RatedBot(botID: seat.bot, roomID: roomID, rating: after[index], active: before[seat.bot]!.active))
        }
        try connection.execute("UPDATE matches SET rated_at = now() WHERE id = $1", [request.matchId])
        return changed
    }

    struct MatchResultError: Error, CustomStringConvertible {
        var description: String
    }
}
