import AlgoProto

/// POST /api/v1/games: every field is required; ranges and the slug's format are the Games service's.
struct GameCreateBody: Decodable, Sendable {
    var slug: String?
    var title: String?
    var rulesMarkdown: String?
    var minPlayers: Int32?
    var maxPlayers: Int32?

    enum CodingKeys: String, CodingKey {
        case slug, title
        case rulesMarkdown = "rules_markdown"
        case minPlayers = "min_players"
        case maxPlayers = "max_players"
    }

    func request(author: Int64) throws -> ProblemsV1.CreateGameRequest {
        var fields = RequiredFields()
        var call = ProblemsV1.CreateGameRequest()
        call.authorId = author
        call.slug = fields.require(self.slug, "slug")
        call.title = fields.require(self.title, "title")
        call.rulesMarkdown = fields.require(self.rulesMarkdown, "rules_markdown")
        call.minPlayers = fields.require(self.minPlayers, "min_players")
        call.maxPlayers = fields.require(self.maxPlayers, "max_players")
        if call.slug.utf8.count > 64 { fields.add("slug", "must be 3-64 characters of a-z, 0-9 and -") }
        try fields.check()
        return call
    }
}

/// PATCH /api/v1/games/{slug}: absent fields stay as they are. The player counts never change.
struct GameUpdateBody: Decodable, Sendable {
    var title: String?
    var rulesMarkdown: String?

    enum CodingKeys: String, CodingKey {
        case title
        case rulesMarkdown = "rules_markdown"
    }

    func request(gameID: Int64) throws -> ProblemsV1.UpdateGameRequest {
        if let title, title.isEmpty { throw Problem.field("title", "must not be empty") }
        var call = ProblemsV1.UpdateGameRequest()
        call.gameId = gameID
        call.title = self.title
        call.rulesMarkdown = self.rulesMarkdown
        return call
    }
}

/// POST /api/v1/games/{slug}/versions.
struct GameVersionBody: Decodable, Sendable {
    var bump: String?
    var changelog: String?
    var refereeLanguage: String?
    var refereeSource: String?
    var limits: LimitsBody?
    var templates: [TemplateBody]?

    enum CodingKeys: String, CodingKey {
        case bump, changelog, limits, templates
        case refereeLanguage = "referee_language"
        case refereeSource = "referee_source"
    }

    struct LimitsBody: Decodable, Sendable {
        var initTimeMs: Int32?
        var turnTimeMs: Int32?
        var maxTurns: Int32?
        var memoryMb: Int32?

        enum CodingKeys: String, CodingKey {
            case initTimeMs = "init_time_ms"
            case turnTimeMs = "turn_time_ms"
            case maxTurns = "max_turns"
            case memoryMb = "memory_mb"
        }
    }

    struct TemplateBody: Decodable, Sendable {
        var language: String?
        var templateCode: String?

        enum CodingKeys: String, CodingKey {
            case language
            case templateCode = "template_code"
        }
    }

    func request(gameID: Int64, author: Int64) throws -> ProblemsV1.CreateGameVersionRequest {
        var fields = RequiredFields()
        var call = ProblemsV1.CreateGameVersionRequest()
        call.gameId = gameID
        call.authorId = author
        let bump = fields.require(self.bump, "bump")
        if !bump.isEmpty { call.bump = ProblemBody.parse(bump, Names.versionBump, "bump", &fields) ?? .unspecified }
        call.changelog = fields.require(self.changelog, "changelog")
        call.refereeLanguage = fields.require(self.refereeLanguage, "referee_language")
        call.refereeSource = fields.require(self.refereeSource, "referee_source")
        if let limits {
            var wire = ProblemsV1.GameLimits()
            wire.initTimeMs = fields.require(limits.initTimeMs, "limits.init_time_ms")
            wire.turnTimeMs = fields.require(limits.turnTimeMs, "limits.turn_time_ms")
            wire.maxTurns = fields.require(limits.maxTurns, "limits.max_turns")
            wire.memoryMb = fields.require(limits.memoryMb, "limits.memory_mb")
            call.limits = wire
        } else {
            fields.add("limits", "is required")
        }
        call.templates = (self.templates ?? []).enumerated().map { index, body in
            var template = ProblemsV1.LanguageTemplate()
            template.language = fields.require(body.language, "templates[\(index)].language")
            template.templateCode = body.templateCode ?? ""
            return template
        }
        try fields.check()
        return call
    }
}

extension RequiredFields {
    /// The number, or 0 after recording the field as missing.
    mutating func require(_ value: Int32?, _ field: String) -> Int32 {
        guard let value else {
            self.add(field, "is required")
            return 0
        }
        return value
    }
}
