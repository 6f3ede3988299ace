/// Component schemas of games, rooms, bots, matches and user statistics.
enum GameSchemas {
    typealias S = OpenAPISchemas

    static let roomKindEnum: JSONValue = ["type": "string", "enum": .array(Names.roomKind.names.map(JSONValue.string))]
    static let matchStatusEnum: JSONValue = ["type": "string", "enum": .array(Names.matchStatus.names.map(JSONValue.string))]
    static let matchKindEnum: JSONValue = ["type": "string", "enum": .array(Names.matchKind.names.map(JSONValue.string))]
    static let playerStatusEnum: JSONValue = ["type": "string", "enum": .array(Names.playerStatus.names.map(JSONValue.string))]
    static let nullableInt64: JSONValue = ["type": ["integer", "null"], "format": "int64"]
    static let rating: [(String, JSONValue)] = [
        ("mu", ["type": "number", "description": "The skill estimate."]),
        ("sigma", ["type": "number", "description": "How unsure the estimate still is."]),
        ("rating", ["type": "string", "description": "mu ± sigma for display, e.g. \"27.41 ± 1.20\"."]),
    ]

    static let gameSummary: [(String, JSONValue)] = [
        ("id", S.int64), ("slug", ["type": "string", "pattern": "^[a-z0-9-]{3,64}$"]), ("title", S.string),
        ("min_players", S.int32), ("max_players", S.int32), ("author_id", S.int64), ("created_at", S.dateTime), ("updated_at", S.dateTime),
    ]
    static let gameSummaryRequired = ["id", "slug", "title", "min_players", "max_players", "author_id", "created_at", "updated_at"]

    static let schemas: [(String, JSONValue)] = [
        ("GamePage", S.page("GameSummary")),
        ("GameSummary", S.object(gameSummary, required: gameSummaryRequired)),
        ("GameDetail", S.object(
            gameSummary + [("rules_markdown", S.string), ("versions", S.array(S.ref("GameVersion"))), ("rooms", S.array(S.ref("Room")))],
            required: gameSummaryRequired + ["rules_markdown", "versions", "rooms"]
        )),
        ("GameCreate", S.object(
            [("slug", ["type": "string", "pattern": "^[a-z0-9-]{3,64}$"]), ("title", S.text),
             ("rules_markdown", ["type": "string", "minLength": 1, "description": "Markdown."]),
             ("min_players", ["type": "integer", "minimum": 1]), ("max_players", ["type": "integer", "minimum": 1])],
            required: ["slug", "title", "rules_markdown", "min_players", "max_players"]
        )),
        ("GameUpdate", S.object([("title", S.text), ("rules_markdown", S.string)], required: [])),
        ("GameLimits", S.object(
            [("init_time_ms", ["type": "integer", "description": "CPU time for a bot's first answer, start-up included."]),
             ("turn_time_ms", ["type": "integer", "description": "CPU time for every later answer."]),
             ("max_turns", ["type": "integer", "description": "Answers in a whole match."]),
             ("memory_mb", ["type": "integer", "description": "Per bot."])],
            required: ["init_time_ms", "turn_time_ms", "max_turns", "memory_mb"]
        )),
        ("GameTemplate", S.object([("language", S.string), ("template_code", S.string)], required: ["language"])),
        ("GameVersion", S.object(
            [("id", S.int64), ("version", ["type": "string", "description": "major.minor.micro"]),
             ("major", S.int32), ("minor", S.int32), ("micro", S.int32), ("changelog", S.string),
             ("limits", S.ref("GameLimits")), ("templates", S.array(S.ref("GameTemplate"))),
             ("referee_language", S.string), ("referee_sha256", ["type": "string", "description": "Names the referee a replay was played with."]),
             ("author_id", S.int64), ("created_at", S.dateTime)],
            required: ["id", "version", "major", "minor", "micro", "changelog", "limits", "templates", "referee_language",
                       "referee_sha256", "author_id", "created_at"]
        )),
        ("GameVersionCreate", S.object(
            [("bump", ["type": "string", "enum": .array(Names.versionBump.names.map(JSONValue.string)), "description": "The part of the version that grows; the first version is 1.0.0."]),
             ("changelog", S.text), ("referee_language", S.text),
             ("referee_source", ["type": "string", "minLength": 1, "description": "Never shown by the API."]),
             ("limits", S.ref("GameLimits")), ("templates", S.array(S.ref("GameTemplate")))],
            required: ["bump", "changelog", "referee_language", "referee_source", "limits"]
        )),
        ("GameVersionList", S.object([("items", S.array(S.ref("GameVersion")))], required: ["items"])),
        ("CreatedGameVersion", S.object([("version", S.ref("GameVersion")), ("rooms", S.array(S.ref("Room")))], required: ["version", "rooms"])),
        ("Room", S.object(
            [("id", S.int64), ("game_id", S.int64), ("game_slug", S.string), ("kind", roomKindEnum), ("major", S.int32),
             ("game_version_id", ["type": "integer", "format": "int64", "description": "The newest version of the major: new matches use it."]),
             ("version", S.string), ("min_players", S.int32), ("max_players", S.int32)],
            required: ["id", "game_id", "game_slug", "kind", "major", "game_version_id", "version", "min_players", "max_players"]
        )),
        ("Rating", S.object(rating, required: ["mu", "sigma", "rating"])),
        ("Bot", S.object(
            [("id", S.int64), ("user_id", S.int64), ("room_id", S.int64), ("game_id", S.int64), ("game_slug", S.string),
             ("version", ["type": "integer", "description": "1, 2, … per user and room."]), ("language", S.string),
             ("active", ["type": "boolean", "description": "The user's newest bot in the room: the one that plays."]),
             ("created_at", S.dateTime), ("games", S.int32), ("wins", S.int32),
             ("placement_remaining", ["type": "integer", "description": "Placement matches still owed in a ranking room."])]
                + rating + [("source", ["type": "string", "description": "Present for the owner and staff only."])],
            required: ["id", "user_id", "room_id", "game_id", "game_slug", "version", "language", "active", "created_at", "games", "wins",
                       "placement_remaining", "mu", "sigma", "rating"]
        )),
        ("BotCreate", S.object(
            [("language", ["type": "string", "description": "A language id from /api/v1/languages."]),
             ("source", ["type": "string", "minLength": 1, "maxLength": 65536, "description": "At most 64 KiB of UTF-8."])],
            required: ["language", "source"]
        )),
        ("BotPage", S.page("Bot")),
        ("RatingPoint", S.object(
            [("match_id", ["type": ["integer", "null"], "format": "int64", "description": "null for the initial rating."]), ("at", S.dateTime)]
                + rating + [("rank", ["type": ["integer", "null"], "description": "The bot's rank in that match."])],
            required: ["match_id", "at", "mu", "sigma", "rating", "rank"]
        )),
        ("RatingHistory", S.object([("items", S.array(S.ref("RatingPoint")))], required: ["items"])),
        ("Leaderboard", S.object(
            [("items", S.array(S.object(
                [("position", S.int32), ("bot", S.ref("Bot"))] + rating
                    + [("ordinal", ["type": "number", "description": "mu − 3·sigma: the order."]), ("games", S.int32)],
                required: ["position", "bot", "mu", "sigma", "rating", "ordinal", "games"]
            )))],
            required: ["items"]
        )),
        ("RankedQueue", S.object([("matches", S.array(S.ref("Match"))), ("bots", S.array(S.ref("Bot")))], required: ["matches", "bots"])),
        ("ChallengeCreate", S.object(
            [("room_id", S.int64),
             ("opponents", ["type": "array", "items": S.int64, "minItems": 1, "maxItems": 16, "description": "Bot ids of the room."]),
             ("seed", ["type": "string", "pattern": "^[0-9]{1,20}$", "description": "A uint64 as a string (replays a game exactly); absent: random."])],
            required: ["room_id", "opponents"]
        )),
        ("MatchPlayer", S.object(
            [("player", ["type": "integer", "description": "1-based seat."]), ("bot_id", S.int64), ("user_id", S.int64),
             ("bot_version", S.int32), ("rank", ["type": ["integer", "null"], "description": "1 is best, equal ranks tie; null until done."]),
             ("score", S.number), ("status", S.nullable(playerStatusEnum)),
             ("reason", ["type": "string", "description": "Why a failing bot failed."]), ("cpu_time_ms", S.int32), ("memory_kb", S.int64),
             ("rating_before", S.nullable(S.ref("Rating"))), ("rating_after", S.nullable(S.ref("Rating")))],
            required: ["player", "bot_id", "user_id", "bot_version", "rank", "score", "status", "reason", "cpu_time_ms", "memory_kb",
                       "rating_before", "rating_after"]
        )),
        ("Match", S.object(
            [("id", S.int64), ("room_id", S.int64), ("game_id", S.int64), ("game_slug", S.string), ("game_version_id", S.int64),
             ("game_version", S.string), ("kind", matchKindEnum), ("rated", S.boolean), ("status", matchStatusEnum),
             ("seed", ["type": "string", "pattern": "^[0-9]{1,20}$", "description": "A uint64 as a string."]),
             ("turns", S.int32), ("attempt", S.int32), ("error", ["type": ["string", "null"], "description": "Why the match failed."]),
             ("players", S.array(S.ref("MatchPlayer"))), ("created_by", nullableInt64), ("created_at", S.dateTime),
             ("finished_at", S.nullable(S.dateTime)), ("has_replay", S.boolean)],
            required: ["id", "room_id", "game_id", "game_slug", "game_version_id", "game_version", "kind", "rated", "status", "seed",
                       "turns", "attempt", "error", "players", "created_by", "created_at", "finished_at", "has_replay"]
        )),
        ("MatchPage", S.page("Match")),
        ("MatchLogs", S.object(
            [("match_id", S.int64),
             ("items", S.array(S.object(
                [("player", S.int32), ("bot_id", S.int64), ("bot_version", S.int32), ("status", S.nullable(playerStatusEnum)),
                 ("reason", S.string), ("log", ["type": "string", "description": "stderr (truncated) or compiler diagnostics."])],
                required: ["player", "bot_id", "bot_version", "status", "reason", "log"]
             )))],
            required: ["match_id", "items"]
        )),
        ("MatchStatusEvent", S.object([("id", S.int64), ("status", matchStatusEnum), ("at", S.nullable(S.dateTime))], required: ["id", "status", "at"])),
        ("MatchEventStream", [
            "type": "string",
            "description": "text/event-stream: `event: status` with a MatchStatusEvent as data, then `event: done` with a Match; comments (`: heartbeat`) keep it open.",
        ]),
        ("ReplayFile", ["type": "string", "contentMediaType": "application/gzip", "description": "gzip-compressed JSON (docs/game-protocol.md, \"Replays\")."]),
        ("UserStatistics", S.object(
            [("user_id", S.int64), ("username", S.string), ("games", S.int32), ("wins", S.int32), ("bots", S.int32),
             ("per_game", S.array(S.object(
                [("game_id", S.int64), ("game_slug", S.string), ("games", S.int32), ("wins", S.int32), ("win_rate", S.number),
                 ("best_rating", ["oneOf": [S.ref("Rating"), ["type": "null"]], "description": "The best active ranking bot's rating."]),
                 ("best_bot_id", ["type": ["integer", "null"], "format": "int64", "description": "That bot."]),
                 ("rating_history", S.array(S.ref("RatingPoint")).appending(
                    [("description", "That bot's rating after each rated match, from its initial rating.")]))],
                required: ["game_id", "game_slug", "games", "wins", "win_rate", "best_rating", "best_bot_id", "rating_history"]
             )))],
            required: ["user_id", "username", "games", "wins", "bots", "per_game"]
        )),
    ]
}

extension JSONValue {
    /// An object with `members` added at the end.
    func appending(_ members: [(String, JSONValue)]) -> JSONValue {
        guard case .object(let own) = self else { return self }
        return .object(own + members)
    }
}
