import AlgoProto
import Foundation
import Ratings
import ServiceKit

/// Matches in the `submissions` schema: creating them, the judge's start and completion, and the
/// ratings. Every change that depends on "which job is current" locks the match row first.
struct MatchStore: Sendable {
    let pool: PostgresPool
    let model: PlackettLuce
    /// Attempts a match gets when its referee fails before it ends FAILED.
    let maxAttempts: Int32

    /// What a new match is made of; `bots` in seat order.
    struct Plan: Sendable {
        var room: ProblemsV1.Room
        var kind: SubmissionsV1.MatchKind
        var rated: Bool
        var seed: UInt64
        var createdBy: Int64
        var bots: [SubmissionsV1.Bot]
    }

    /// Inserts the match, its players and its first job in the caller's transaction.
    static func insert(_ plan: Plan, connection: PostgresConnection) throws -> QueuedMatch {
        let jobID = UUID().uuidString.lowercased()
        let rows = try connection.query(
            """
            INSERT INTO matches (room_id, game_id, game_slug, game_version_id, game_version, kind, rated, seed, current_job_id, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid, $10) RETURNING id
            """,
            [
                plan.room.id, plan.room.gameId, plan.room.gameSlug, plan.room.gameVersionId, plan.room.version,
                MatchRows.word(plan.kind, in: MatchRows.kinds), plan.rated, Int64(bitPattern: plan.seed), jobID, plan.createdBy,
            ]
        )
        let matchID: Int64 = try rows[0].decode("id")
        for (index, bot) in plan.bots.enumerated() {
            try connection.execute(
                "INSERT INTO match_players (match_id, player, bot_id, user_id, bot_version) VALUES ($1, $2, $3, $4, $5)",
                [matchID, Int32(index + 1), bot.id, bot.userId, bot.version]
            )
        }
        try connection.execute("INSERT INTO match_jobs (id, match_id, attempt) VALUES ($1::uuid, $2, 1)", [jobID, matchID])
        return QueuedMatch(jobID: jobID, matchID: matchID, attempt: 1)
    }

    func create(_ plan: Plan) async throws -> (SubmissionsV1.Match, QueuedMatch) {
        try await self.pool.withTransaction { connection in
            let job = try Self.insert(plan, connection: connection)
            return (try Self.read(job.matchID, connection: connection)!, job)
        }
    }

    /// Queued and running matches the user started (the challenge limit).
    func openChallenges(userID: Int64) async throws -> Int {
        let rows = try await self.pool.query(
            "SELECT count(*)::bigint AS n FROM matches WHERE created_by = $1 AND status IN ('queued', 'running')", [userID]
        )
        return Int(try rows[0].decode("n", as: Int64.self))
    }

    // MARK: Reading

    static func read(_ id: Int64, connection: PostgresConnection) throws -> SubmissionsV1.Match? {
        guard let row = try connection.query("SELECT \(MatchRows.matchColumns) FROM matches m WHERE m.id = $1", [id]).first else {
            return nil
        }
        return try MatchRows.attachPlayers([try MatchRows.match(row)], connection: connection).first
    }

    func find(id: Int64) async throws -> SubmissionsV1.Match? {
        try await self.pool.withConnection { try Self.read(id, connection: $0) }
    }

    /// Newest first, ids below `beforeID` (0: from the newest).
    func list(roomID: Int64, botID: Int64, userID: Int64, beforeID: Int64, limit: Int) async throws -> [SubmissionsV1.Match] {
        try await self.pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT \(MatchRows.matchColumns) FROM matches m
                WHERE ($1 = 0 OR m.room_id = $1)
                  AND ($2 = 0 OR EXISTS (SELECT 1 FROM match_players p WHERE p.match_id = m.id AND p.bot_id = $2))
                  AND ($3 = 0 OR EXISTS (SELECT 1 FROM match_players p WHERE p.match_id = m.id AND p.user_id = $3))
                  AND ($4 = 0 OR m.id < $4)
                ORDER BY m.id DESC LIMIT $5
                """,
                [roomID, botID, userID, beforeID, limit]
            )
            return try MatchRows.attachPlayers(try rows.map(MatchRows.match), connection: connection)
        }
    }

    /// The room's queued and running matches, oldest first.
    func pending(roomID: Int64) async throws -> [SubmissionsV1.Match] {
        try await self.pool.withConnection { connection in
            let rows = try connection.query(
                "SELECT \(MatchRows.matchColumns) FROM matches m WHERE m.room_id = $1 AND m.status IN ('queued', 'running') ORDER BY m.id",
                [roomID]
            )
            return try MatchRows.attachPlayers(try rows.map(MatchRows.match), connection: connection)
        }
    }

    /// nil when there is no such match; an empty array when it has no replay (yet).
    func replay(id: Int64) async throws -> [UInt8]? {
        guard let row = try await self.pool.query("SELECT coalesce(replay, ''::bytea) AS replay FROM matches WHERE id = $1", [id]).first else {
            return nil
        }
        return try row.decode("replay")
    }

    /// The players of the match whose bot `userID` owns, with their logs; nil without the match.
    func logs(matchID: Int64, userID: Int64) async throws -> [SubmissionsV1.MatchPlayer]? {
        try await self.pool.withConnection { connection in
            guard !(try connection.query("SELECT 1 FROM matches WHERE id = $1", [matchID])).isEmpty else { return nil }
            return try connection.query(
                "SELECT \(MatchRows.playerColumns), p.log FROM match_players p WHERE p.match_id = $1 AND p.user_id = $2 ORDER BY p.player",
                [matchID, userID]
            ).map { row in
                var player = try MatchRows.player(row)
                player.log = try row.decode("log")
                return player
            }
        }
    }
}

/// A match's current attempt as the stores hand it to the queue.
struct QueuedMatch: Sendable, Hashable {
    var jobID: String
    var matchID: Int64
    var attempt: Int32

    /// The stream entry's payload (field "job").
    var message: JudgeV1.MatchJob {
        var job = JudgeV1.MatchJob()
        job.jobId = self.jobID
        job.matchId = self.matchID
        job.attempt = self.attempt
        job.enqueuedAtMs = WallClock.nowMilliseconds()
        return job
    }
}
