import AlgoProto

/// A bot as the API shows it. How it plays is public; its source is its owner's and staff's.
struct BotResource: JSONResponseBody {
    var bot: SubmissionsV1.Bot
    var privileged: Bool

    init(_ bot: SubmissionsV1.Bot, viewer: Caller?) {
        self.bot = bot
        self.privileged = viewer.map { $0.isStaff || $0.id == bot.userId } ?? false
    }

    /// In lists, leaderboards and queues: never the source.
    init(listed bot: SubmissionsV1.Bot) {
        self.bot = bot
        self.privileged = false
    }

    func write(to json: inout JSONWriter) {
        let bot = self.bot
        json.beginObject()
        json.field("id", bot.id)
        json.field("user_id", bot.userId)
        json.field("room_id", bot.roomId)
        json.field("game_id", bot.gameId)
        json.field("game_slug", bot.gameSlug)
        json.field("version", bot.version)
        json.field("language", bot.language)
        json.field("active", bot.active)
        json.field("created_at", RFC3339.format(milliseconds: bot.createdAtMs))
        json.field("games", bot.games)
        json.field("wins", bot.wins)
        json.field("placement_remaining", bot.placementRemaining)
        RatingJSON.members(mu: bot.mu, sigma: bot.sigma, &json)
        if self.privileged { json.field("source", bot.sourceCode) }
        json.endObject()
    }
}

/// `{items}`: a bot's rating after each rated match, oldest first, from its initial rating.
struct RatingHistoryResource: JSONResponseBody {
    var points: [SubmissionsV1.RatingPoint]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("items", self.points.map(PointJSON.init))
        json.endObject()
    }

    struct PointJSON: JSONResponseBody {
        var point: SubmissionsV1.RatingPoint

        func write(to json: inout JSONWriter) {
            json.beginObject()
            // The initial rating belongs to no match.
            if self.point.matchId > 0 { json.field("match_id", self.point.matchId) } else { json.null("match_id") }
            json.field("at", RFC3339.format(milliseconds: self.point.atMs))
            RatingJSON.members(mu: self.point.mu, sigma: self.point.sigma, &json)
            if self.point.rank > 0 { json.field("rank", self.point.rank) } else { json.null("rank") }
            json.endObject()
        }
    }
}

/// Ratings are shown as `mu ± sigma`: the skill estimate and how unsure it still is.
enum RatingJSON {
    /// `mu`, `sigma`, and `rating` ("27.41 ± 1.20").
    static func members(mu: Double, sigma: Double, _ json: inout JSONWriter) {
        json.field("mu", mu)
        json.field("sigma", sigma)
        json.field("rating", "\(Self.fixed(mu)) ± \(Self.fixed(sigma))")
    }

    /// Two decimals, without Foundation's formatters.
    static func fixed(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "?" }
        let hundredths = Int64((value * 100).rounded())
        let magnitude = hundredths.magnitude
        let fraction = magnitude % 100
        return "\(hundredths < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
