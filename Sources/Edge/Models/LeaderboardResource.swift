import AlgoProto

/// `{items}`: a room's leaderboard, best first (by ordinal, mu − 3·sigma).
struct LeaderboardResource: JSONResponseBody {
    var entries: [SubmissionsV1.LeaderboardEntry]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("items", self.entries.map(EntryJSON.init))
        json.endObject()
    }

    private struct EntryJSON: JSONResponseBody {
        var entry: SubmissionsV1.LeaderboardEntry

        func write(to json: inout JSONWriter) {
            let bot = self.entry.bot ?? .init()
            json.beginObject()
            json.field("position", self.entry.position)
            json.field("bot", BotResource(listed: bot))
            RatingJSON.members(mu: bot.mu, sigma: bot.sigma, &json)
            json.field("ordinal", self.entry.ordinal)
            json.field("games", bot.games)
            json.endObject()
        }
    }
}

/// `{matches, bots}`: a ranking room's queued and running matches (oldest first) and its active
/// bots (fewest games first: who plays next).
struct RankedQueueResource: JSONResponseBody {
    var matches: [SubmissionsV1.Match]
    var bots: [SubmissionsV1.Bot]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("matches", self.matches.map(MatchResource.init))
        json.field("bots", self.bots.map(BotResource.init(listed:)))
        json.endObject()
    }
}

/// A user's games, wins and bots, overall and per game.
struct UserStatisticsResource: JSONResponseBody {
    var username: String
    var userID: Int64
    var statistics: SubmissionsV1.GetUserStatisticsResponse

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("user_id", self.userID)
        json.field("username", self.username)
        json.field("games", self.statistics.games)
        json.field("wins", self.statistics.wins)
        json.field("bots", self.statistics.bots)
        json.field("per_game", self.statistics.perGame.map(GameJSON.init))
        json.endObject()
    }

    private struct GameJSON: JSONResponseBody {
        var game: SubmissionsV1.GameStatistics

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.field("game_id", self.game.gameId)
            json.field("game_slug", self.game.gameSlug)
            json.field("games", self.game.games)
            json.field("wins", self.game.wins)
            json.field("win_rate", self.game.winRate)
            // No active ranking bot: no rating (a real one always has sigma > 0).
            if self.game.bestSigma > 0 {
                json.key("best_rating")
                json.beginObject()
                RatingJSON.members(mu: self.game.bestMu, sigma: self.game.bestSigma, &json)
                json.endObject()
            } else {
                json.null("best_rating")
            }
            if self.game.bestBotId > 0 { json.field("best_bot_id", self.game.bestBotId) } else { json.null("best_bot_id") }
            json.field("rating_history", self.game.ratingHistory.map(RatingHistoryResource.PointJSON.init))
            json.endObject()
        }
    }
}
