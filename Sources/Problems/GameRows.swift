import AlgoProto
import ServiceKit

/// Column lists and row → message conversions for `games`, `game_versions` and `rooms`.
enum GameRows {
    static let gameColumns = """
        id, slug, title, rules_markdown, min_players, max_players, author_id,
        (extract(epoch from created_at) * 1000)::bigint AS created_at_ms,
        (extract(epoch from updated_at) * 1000)::bigint AS updated_at_ms
        """

    /// Without the referee's source, which only the judge reads.
    static let versionColumns = """
        id, game_id, major, minor, micro, changelog, referee_language, referee_sha256, init_time_ms, turn_time_ms,
        max_turns, memory_mb, templates::text AS templates, author_id, (extract(epoch from created_at) * 1000)::bigint AS created_at_ms
        """

    /// Rooms with the newest version of their major; `$n` placeholders are added by the caller.
    static let roomSelect = """
        SELECT r.id, r.game_id, g.slug, r.kind, r.major, g.min_players, g.max_players,
               v.id AS version_id, v.minor, v.micro
        FROM rooms r JOIN games g ON g.id = r.game_id
        JOIN LATERAL (
            SELECT id, minor, micro FROM game_versions
            WHERE game_id = r.game_id AND major = r.major ORDER BY minor DESC, micro DESC LIMIT 1
        ) v ON true
        """

    static func game(_ row: PostgresRow) throws -> ProblemsV1.Game {
        var game = ProblemsV1.Game()
        game.id = try row.decode("id")
        game.slug = try row.decode("slug")
        game.title = try row.decode("title")
        game.rulesMarkdown = try row.decode("rules_markdown")
        game.minPlayers = try row.decode("min_players")
        game.maxPlayers = try row.decode("max_players")
        game.authorId = try row.decode("author_id")
        game.createdAtMs = try row.decode("created_at_ms")
        game.updatedAtMs = try row.decode("updated_at_ms")
        return game
    }

    static func version(_ row: PostgresRow) throws -> ProblemsV1.GameVersion {
        var version = ProblemsV1.GameVersion()
        version.id = try row.decode("id")
        version.gameId = try row.decode("game_id")
        version.major = try row.decode("major")
        version.minor = try row.decode("minor")
        version.micro = try row.decode("micro")
        version.version = "\(version.major).\(version.minor).\(version.micro)"
        version.changelog = try row.decode("changelog")
        version.refereeLanguage = try row.decode("referee_language")
        version.refereeSha256 = try row.decode("referee_sha256")
        var limits = ProblemsV1.GameLimits()
        limits.initTimeMs = try row.decode("init_time_ms")
        limits.turnTimeMs = try row.decode("turn_time_ms")
        limits.maxTurns = try row.decode("max_turns")
        limits.memoryMb = try row.decode("memory_mb")
        version.limits = limits
        version.templates = ProblemDocuments.templates(try ProblemDocuments.decode([ProblemDocuments.Template].self, row.decode("templates")))
        version.authorId = try row.decode("author_id")
        version.createdAtMs = try row.decode("created_at_ms")
        return version
    }

    static func room(_ row: PostgresRow) throws -> ProblemsV1.Room {
        var room = ProblemsV1.Room()
        room.id = try row.decode("id")
        room.gameId = try row.decode("game_id")
        room.gameSlug = try row.decode("slug")
        room.kind = self.kind(try row.decode("kind"))
        room.major = try row.decode("major")
        room.minPlayers = try row.decode("min_players")
        room.maxPlayers = try row.decode("max_players")
        room.gameVersionId = try row.decode("version_id")
        room.version = "\(room.major).\(try row.decode("minor", as: Int32.self)).\(try row.decode("micro", as: Int32.self))"
        return room
    }

    static let kinds: [(ProblemsV1.RoomKind, String)] = [(.general, "general"), (.practice, "practice"), (.ranking, "ranking")]

    static func kind(_ word: String) -> ProblemsV1.RoomKind {
        kinds.first { $0.1 == word }?.0 ?? .unspecified
    }
}
