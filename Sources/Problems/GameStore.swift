import AlgoProto
import RPC
import ServiceKit

/// Games, versions and rooms in the `problems` schema.
struct GameStore: Sendable {
    let pool: PostgresPool

    /// `game` is validated; ALREADY_EXISTS when its slug is taken.
    func create(_ game: ProblemsV1.Game) async throws -> ProblemsV1.Game {
        do {
            let rows = try await self.pool.query(
                """
                INSERT INTO games (slug, title, rules_markdown, min_players, max_players, author_id)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(GameRows.gameColumns)
                """,
                [game.slug, game.title, game.rulesMarkdown, game.minPlayers, game.maxPlayers, game.authorId]
            )
            return try GameRows.game(rows[0])
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw RPCError.alreadyExists("slug", "is already taken")
        }
    }

    /// nil when there is no such game.
    func update(id: Int64, title: String?, rules: String?) async throws -> ProblemsV1.Game? {
        guard try await self.pool.execute(
            """
            UPDATE games SET title = coalesce($2, title), rules_markdown = coalesce($3, rules_markdown), updated_at = now()
            WHERE id = $1
            """,
            [id, title, rules]
        ) > 0 else { return nil }
        return try await self.find(id: id)
    }

    func find(id: Int64) async throws -> ProblemsV1.Game? {
        try await self.find(where: "id = $1", id)
    }

    func find(slug: String) async throws -> ProblemsV1.Game? {
        try await self.find(where: "slug = $1", slug)
    }

    /// The game with its versions (newest first) and rooms (newest major first), read in one snapshot.
    private func find(where condition: String, _ key: any PostgresBindable) async throws -> ProblemsV1.Game? {
        try await self.pool.withTransaction { connection in
            guard let row = try connection.query("SELECT \(GameRows.gameColumns) FROM games WHERE \(condition)", [key]).first else {
                return nil
            }
            var game = try GameRows.game(row)
            game.versions = try connection.query(
                "SELECT \(GameRows.versionColumns) FROM game_versions WHERE game_id = $1 ORDER BY major DESC, minor DESC, micro DESC",
                [game.id]
            ).map(GameRows.version)
            game.rooms = try connection.query(
                "\(GameRows.roomSelect) WHERE r.game_id = $1 ORDER BY r.major DESC, r.id", [game.id]
            ).map(GameRows.room)
            return game
        }
    }

    /// Up to `limit` games in creation order after `afterID`, without versions and rooms.
    func list(afterID: Int64, limit: Int) async throws -> [ProblemsV1.Game] {
        try await self.pool.query(
            "SELECT \(GameRows.gameColumns) FROM games WHERE id > $1 ORDER BY id LIMIT $2", [afterID, limit]
        ).map(GameRows.game)
    }

    enum VersionResult: Sendable {
        case created(ProblemsV1.GameVersion, rooms: [ProblemsV1.Room])
        case gameNotFound
    }

    /// Adds the next version after the game's newest one, and the rooms of a new major. The game
    /// row is locked, so two versions created at once get consecutive numbers.
    func createVersion(_ request: ProblemsV1.CreateGameVersionRequest) async throws -> VersionResult {
        var sha = SHA256()
        sha.update(Array(request.refereeSource.utf8))
        let refereeSHA = sha.finalizeHex()
        let limits = request.limits ?? ProblemsV1.GameLimits()
        let templates = try ProblemDocuments.encode(ProblemDocuments.templates(request.templates))
        return try await self.pool.withTransaction { connection in
            guard !(try connection.query("SELECT 1 FROM games WHERE id = $1 FOR UPDATE", [request.gameId])).isEmpty else {
                return .gameNotFound
            }
            let newest = try connection.query(
                "SELECT major, minor, micro FROM game_versions WHERE game_id = $1 ORDER BY major DESC, minor DESC, micro DESC LIMIT 1",
                [request.gameId]
            ).first
            var (major, minor, micro): (Int32, Int32, Int32) = (1, 0, 0)
            if let newest {
                (major, minor, micro) = (try newest.decode("major"), try newest.decode("minor"), try newest.decode("micro"))
                switch request.bump {
                case .major: (major, minor, micro) = (major + 1, 0, 0)
                case .minor: (minor, micro) = (minor + 1, 0)
                default: micro += 1
                }
            }
            let rows = try connection.query(
                """
                INSERT INTO game_versions (game_id, major, minor, micro, changelog, referee_language, referee_source, referee_sha256,
                    init_time_ms, turn_time_ms, max_turns, memory_mb, templates, author_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14) RETURNING \(GameRows.versionColumns)
                """,
                [
                    request.gameId, major, minor, micro, request.changelog, request.refereeLanguage, request.refereeSource, refereeSHA,
                    limits.initTimeMs, limits.turnTimeMs, limits.maxTurns, limits.memoryMb, templates, request.authorId,
                ]
            )
            let version = try GameRows.version(rows[0])
            if minor == 0 && micro == 0 {
                for (_, word) in GameRows.kinds {
                    try connection.execute(
                        "INSERT INTO rooms (game_id, major, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [request.gameId, major, word]
                    )
                }
            }
            let rooms = try connection.query(
                "\(GameRows.roomSelect) WHERE r.game_id = $1 AND r.major = $2 ORDER BY r.id", [request.gameId, major]
            ).map(GameRows.room)
            return .created(version, rooms: rooms)
        }
    }

    /// The version (with its referee when asked) and its game (without versions and rooms).
    func version(id: Int64, includeReferee: Bool) async throws -> (ProblemsV1.GameVersion, ProblemsV1.Game)? {
        guard let row = try await self.pool.query(
            """
            SELECT \(GameRows.versionColumns), referee_source FROM game_versions WHERE id = $1
            """,
            [id]
        ).first else { return nil }
        var version = try GameRows.version(row)
        if includeReferee { version.refereeSource = try row.decode("referee_source") }
        guard let gameRow = try await self.pool.query("SELECT \(GameRows.gameColumns) FROM games WHERE id = $1", [version.gameId]).first else {
            return nil
        }
        return (version, try GameRows.game(gameRow))
    }

    func room(id: Int64) async throws -> ProblemsV1.Room? {
        try await self.pool.query("\(GameRows.roomSelect) WHERE r.id = $1", [id]).first.map(GameRows.room)
    }
}
