import AlgoProto
import Ratings
import ServiceKit

/// Bots in the `submissions` schema.
struct BotStore: Sendable {
    let pool: PostgresPool
    /// New bots start from the model's initial rating.
    let model: PlackettLuce
    /// Placement matches a new bot in a ranking room is owed.
    let placementMatches: Int32

    struct Submitted: Sendable {
        var bot: SubmissionsV1.Bot
        /// The user's bot it replaces as the active one.
        var replaced: Int64?
    }

    /// Adds the user's next bot version to the room and makes it the active one. Versions of one
    /// user and room are numbered under an advisory lock, so two submissions at once get 1 and 2.
    func submit(userID: Int64, room: ProblemsV1.Room, language: String, source: String) async throws -> Submitted {
        let initial = self.model.rating()
        let kind = GameDirectory.word(room.kind)
        let placement = room.kind == .ranking ? self.placementMatches : 0
        return try await self.pool.withTransaction { connection in
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ["bots:\(userID):\(room.id)"])
            let previous = try connection.query(
                "UPDATE bots SET active = false WHERE room_id = $1 AND user_id = $2 AND active RETURNING id", [room.id, userID]
            ).first.map { try $0.decode("id", as: Int64.self) }
            let rows = try connection.query(
                """
                INSERT INTO bots AS b (user_id, room_id, game_id, game_slug, room_kind, version, language, source_code,
                    placement_remaining, mu, sigma)
                VALUES ($1, $2, $3, $4, $5,
                    (SELECT coalesce(max(version), 0) + 1 FROM bots WHERE user_id = $1 AND room_id = $2), $6, $7, $8, $9, $10)
                RETURNING \(MatchRows.botColumns), b.source_code
                """,
                [userID, room.id, room.gameId, room.gameSlug, kind, language, source, placement, initial.mu, initial.sigma]
            )
            var bot = try MatchRows.bot(rows[0])
            bot.sourceCode = try rows[0].decode("source_code")
            return Submitted(bot: bot, replaced: previous)
        }
    }

    func find(id: Int64, includeSource: Bool) async throws -> SubmissionsV1.Bot? {
        guard let row = try await self.pool.query("SELECT \(MatchRows.botColumns), b.source_code FROM bots b WHERE b.id = $1", [id]).first else {
            return nil
        }
        var bot = try MatchRows.bot(row)
        if includeSource { bot.sourceCode = try row.decode("source_code") }
        return bot
    }

    /// The user's active bot in the room.
    func active(userID: Int64, roomID: Int64) async throws -> SubmissionsV1.Bot? {
        try await self.pool.query(
            "SELECT \(MatchRows.botColumns) FROM bots b WHERE b.room_id = $1 AND b.user_id = $2 AND b.active", [roomID, userID]
        ).first.map(MatchRows.bot)
    }

    /// Newest first, ids below `beforeID` (0: from the newest).
    func list(roomID: Int64, userID: Int64, activeOnly: Bool, beforeID: Int64, limit: Int) async throws -> [SubmissionsV1.Bot] {
        try await self.pool.query(
            """
            SELECT \(MatchRows.botColumns) FROM bots b
            WHERE ($1 = 0 OR b.room_id = $1) AND ($2 = 0 OR b.user_id = $2) AND (NOT $3 OR b.active) AND ($4 = 0 OR b.id < $4)
            ORDER BY b.id DESC LIMIT $5
            """,
            [roomID, userID, activeOnly, beforeID, limit]
        ).map(MatchRows.bot)
    }

    /// The room's active bots, fewest games first (the scheduler's order).
    func activeBots(roomID: Int64) async throws -> [SubmissionsV1.Bot] {
        try await self.pool.query(
            "SELECT \(MatchRows.botColumns) FROM bots b WHERE b.room_id = $1 AND b.active ORDER BY b.games, b.id", [roomID]
        ).map(MatchRows.bot)
    }
}
