import AlgoProto

/// A game as the API shows it: its rules, its versions (never a referee's source: players must
/// not read the judge's logic) and the rooms of every major version.
struct GameResource: JSONResponseBody {
    var game: ProblemsV1.Game

    func write(to json: inout JSONWriter) {
        json.beginObject()
        GameSummaryResource.members(self.game, &json)
        json.field("rules_markdown", self.game.rulesMarkdown)
        json.field("versions", self.game.versions.map(GameVersionResource.init))
        json.field("rooms", self.game.rooms.map(RoomResource.init))
        json.endObject()
    }
}

/// A game in a list: no rules, versions or rooms.
struct GameSummaryResource: JSONResponseBody {
    var game: ProblemsV1.Game

    func write(to json: inout JSONWriter) {
        json.beginObject()
        Self.members(self.game, &json)
        json.endObject()
    }

    static func members(_ game: ProblemsV1.Game, _ json: inout JSONWriter) {
        json.field("id", game.id)
        json.field("slug", game.slug)
        json.field("title", game.title)
        json.field("min_players", game.minPlayers)
        json.field("max_players", game.maxPlayers)
        json.field("author_id", game.authorId)
        json.field("created_at", RFC3339.format(milliseconds: game.createdAtMs))
        json.field("updated_at", RFC3339.format(milliseconds: game.updatedAtMs))
    }
}

/// One version of a game. The referee is named by language and SHA-256 only.
struct GameVersionResource: JSONResponseBody {
    var version: ProblemsV1.GameVersion

    func write(to json: inout JSONWriter) {
        let version = self.version
        json.beginObject()
        json.field("id", version.id)
        json.field("version", version.version)
        json.field("major", version.major)
        json.field("minor", version.minor)
        json.field("micro", version.micro)
        json.field("changelog", version.changelog)
        json.field("limits", LimitsJSON(limits: version.limits ?? .init()))
        json.field("templates", version.templates.map(GameTemplateJSON.init))
        json.field("referee_language", version.refereeLanguage)
        json.field("referee_sha256", version.refereeSha256)
        json.field("author_id", version.authorId)
        json.field("created_at", RFC3339.format(milliseconds: version.createdAtMs))
        json.endObject()
    }
}

struct RoomResource: JSONResponseBody {
    var room: ProblemsV1.Room

    func write(to json: inout JSONWriter) {
        let room = self.room
        json.beginObject()
        json.field("id", room.id)
        json.field("game_id", room.gameId)
        json.field("game_slug", room.gameSlug)
        ProblemResource.optionalName("kind", Names.roomKind.name(of: room.kind), &json)
        json.field("major", room.major)
        json.field("game_version_id", room.gameVersionId)
        json.field("version", room.version)
        json.field("min_players", room.minPlayers)
        json.field("max_players", room.maxPlayers)
        json.endObject()
    }
}

/// `{items}`: a game's versions, newest first.
struct GameVersionsResource: JSONResponseBody {
    var versions: [ProblemsV1.GameVersion]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("items", self.versions.map(GameVersionResource.init))
        json.endObject()
    }
}

/// `{version, rooms}`: a new version and the rooms it plays in.
struct CreatedGameVersionResource: JSONResponseBody {
    var version: ProblemsV1.GameVersion
    var rooms: [ProblemsV1.Room]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("version", GameVersionResource(version: self.version))
        json.field("rooms", self.rooms.map(RoomResource.init))
        json.endObject()
    }
}

private struct LimitsJSON: JSONResponseBody {
    var limits: ProblemsV1.GameLimits

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("init_time_ms", self.limits.initTimeMs)
        json.field("turn_time_ms", self.limits.turnTimeMs)
        json.field("max_turns", self.limits.maxTurns)
        json.field("memory_mb", self.limits.memoryMb)
        json.endObject()
    }
}

/// A bot template: a bot is a whole program, so there is no wrapper.
private struct GameTemplateJSON: JSONResponseBody {
    var template: ProblemsV1.LanguageTemplate

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("language", self.template.language)
        json.field("template_code", self.template.templateCode)
        json.endObject()
    }
}
