import AlgoProto
import ServiceKit

/// Column lists, stored words and row → message conversions for bots and matches.
enum MatchRows {
    static let statuses: [(SubmissionsV1.MatchStatus, String)] = [(.queued, "queued"), (.running, "running"), (.done, "done"), (.failed, "failed")]
    static let kinds: [(SubmissionsV1.MatchKind, String)] = [(.challenge, "challenge"), (.placement, "placement"), (.ranked, "ranked")]
    /// The words of docs/game-protocol.md's replay `status`.
    static let playerStatuses: [(SubmissionsV1.PlayerStatus, String)] = [
        (.ok, "ok"), (.timeout, "timeout"), (.crash, "crash"), (.overflow, "overflow"), (.kicked, "kicked"),
        (.compilationError, "compilation_error"),
    ]

    static func word<T: Equatable>(_ value: T, in table: [(T, String)]) -> String {
        table.first { $0.0 == value }?.1 ?? ""
    }

    static func value<T>(_ word: String, in table: [(T, String)], default fallback: T) -> T {
        table.first { $0.1 == word }?.0 ?? fallback
    }

    static let botColumns = """
        b.id, b.user_id, b.room_id, b.game_id, b.game_slug, b.version, b.language, b.active, b.games, b.wins,
        b.placement_remaining, b.mu, b.sigma, (extract(epoch from b.created_at) * 1000)::bigint AS created_at_ms
        """

    static func bot(_ row: PostgresRow) throws -> SubmissionsV1.Bot {
        var bot = SubmissionsV1.Bot()
        bot.id = try row.decode("id")
        bot.userId = try row.decode("user_id")
        bot.roomId = try row.decode("room_id")
        bot.gameId = try row.decode("game_id")
        bot.gameSlug = try row.decode("game_slug")
        bot.version = try row.decode("version")
        bot.language = try row.decode("language")
        bot.active = try row.decode("active")
        bot.games = try row.decode("games")
        bot.wins = try row.decode("wins")
        bot.placementRemaining = try row.decode("placement_remaining")
        bot.mu = try row.decode("mu")
        bot.sigma = try row.decode("sigma")
        bot.createdAtMs = try row.decode("created_at_ms")
        return bot
    }

    static let matchColumns = """
        m.id, m.room_id, m.game_id, m.game_slug, m.game_version_id, m.game_version, m.kind, m.rated, m.status, m.seed,
        m.turns, m.attempt, m.error, m.created_by, m.replay IS NOT NULL AS has_replay,
        (extract(epoch from m.created_at) * 1000)::bigint AS created_at_ms,
        coalesce((extract(epoch from m.finished_at) * 1000)::bigint, 0) AS finished_at_ms
        """

    static func match(_ row: PostgresRow) throws -> SubmissionsV1.Match {
        var match = SubmissionsV1.Match()
        match.id = try row.decode("id")
        match.roomId = try row.decode("room_id")
        match.gameId = try row.decode("game_id")
        match.gameSlug = try row.decode("game_slug")
        match.gameVersionId = try row.decode("game_version_id")
        match.gameVersion = try row.decode("game_version")
        match.kind = value(try row.decode("kind"), in: kinds, default: .unspecified)
        match.rated = try row.decode("rated")
        match.status = value(try row.decode("status"), in: statuses, default: .unspecified)
        match.seed = UInt64(bitPattern: try row.decode("seed", as: Int64.self))
        match.turns = try row.decode("turns")
        match.attempt = try row.decode("attempt")
        match.error = try row.decode("error")
        match.createdBy = try row.decode("created_by")
        match.hasReplay = try row.decode("has_replay")
        match.createdAtMs = try row.decode("created_at_ms")
        match.finishedAtMs = try row.decode("finished_at_ms")
        return match
    }

    static let playerColumns = """
        p.match_id, p.player, p.bot_id, p.user_id, p.bot_version, p.rank, p.score, p.status, p.reason, p.cpu_time_ms, p.memory_kb,
        coalesce(p.mu_before, 0) AS mu_before, coalesce(p.sigma_before, 0) AS sigma_before,
        coalesce(p.mu_after, 0) AS mu_after, coalesce(p.sigma_after, 0) AS sigma_after
        """

    static func player(_ row: PostgresRow) throws -> SubmissionsV1.MatchPlayer {
        var player = SubmissionsV1.MatchPlayer()
        player.player = try row.decode("player")
        player.botId = try row.decode("bot_id")
        player.userId = try row.decode("user_id")
        player.botVersion = try row.decode("bot_version")
        player.rank = try row.decode("rank")
        player.score = try row.decode("score")
        player.status = value(try row.decode("status"), in: playerStatuses, default: .unspecified)
        player.reason = try row.decode("reason")
        player.cpuTimeMs = try row.decode("cpu_time_ms")
        player.memoryKb = try row.decode("memory_kb")
        player.muBefore = try row.decode("mu_before")
        player.sigmaBefore = try row.decode("sigma_before")
        player.muAfter = try row.decode("mu_after")
        player.sigmaAfter = try row.decode("sigma_after")
        return player
    }

    /// Reads the players of `matches` (one query) and attaches them in seat order.
    static func attachPlayers(_ matches: [SubmissionsV1.Match], connection: PostgresConnection) throws -> [SubmissionsV1.Match] {
        guard !matches.isEmpty else { return [] }
        let ids = "{" + matches.map { String($0.id) }.joined(separator: ",") + "}"
        var byMatch: [Int64: [SubmissionsV1.MatchPlayer]] = [:]
        for row in try connection.query(
            "SELECT \(playerColumns) FROM match_players p WHERE p.match_id = ANY($1::bigint[]) ORDER BY p.match_id, p.player", [ids]
        ) {
            byMatch[try row.decode("match_id"), default: []].append(try player(row))
        }
        return matches.map { match in
            var match = match
            match.players = byMatch[match.id] ?? []
            return match
        }
    }
}
