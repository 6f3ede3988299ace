import AlgoProto

/// A match as the API shows it, to everyone. Bots' logs are never part of it (see
/// ``MatchLogsResource``); the seed is a string because a uint64 does not fit a JSON number.
struct MatchResource: JSONResponseBody {
    var match: SubmissionsV1.Match

    func write(to json: inout JSONWriter) {
        let match = self.match
        json.beginObject()
        json.field("id", match.id)
        json.field("room_id", match.roomId)
        json.field("game_id", match.gameId)
        json.field("game_slug", match.gameSlug)
        json.field("game_version_id", match.gameVersionId)
        json.field("game_version", match.gameVersion)
        ProblemResource.optionalName("kind", Names.matchKind.name(of: match.kind), &json)
        json.field("rated", match.rated)
        ProblemResource.optionalName("status", Names.matchStatus.name(of: match.status), &json)
        json.field("seed", String(match.seed))
        json.field("turns", match.turns)
        json.field("attempt", match.attempt)
        if match.error.isEmpty { json.null("error") } else { json.field("error", match.error) }
        json.field("players", match.players.map { PlayerJSON(player: $0, rated: match.rated) })
        if match.createdBy > 0 { json.field("created_by", match.createdBy) } else { json.null("created_by") }
        json.field("created_at", RFC3339.format(milliseconds: match.createdAtMs))
        SubmissionJSON.time("finished_at", match.finishedAtMs, &json)
        json.field("has_replay", match.hasReplay)
        json.endObject()
    }

    private struct PlayerJSON: JSONResponseBody {
        var player: SubmissionsV1.MatchPlayer
        var rated: Bool

        func write(to json: inout JSONWriter) {
            let player = self.player
            json.beginObject()
            json.field("player", player.player)
            json.field("bot_id", player.botId)
            json.field("user_id", player.userId)
            json.field("bot_version", player.botVersion)
            // Ranks exist once the match is done.
            if player.rank > 0 { json.field("rank", player.rank) } else { json.null("rank") }
            json.field("score", player.score)
            ProblemResource.optionalName("status", Names.playerStatus.name(of: player.status), &json)
            json.field("reason", player.reason)
            json.field("cpu_time_ms", player.cpuTimeMs)
            json.field("memory_kb", player.memoryKb)
            if self.rated, player.sigmaBefore > 0 {
                json.field("rating_before", RatingObject(mu: player.muBefore, sigma: player.sigmaBefore))
                json.field("rating_after", RatingObject(mu: player.muAfter, sigma: player.sigmaAfter))
            } else {
                json.null("rating_before")
                json.null("rating_after")
            }
            json.endObject()
        }
    }
}

/// `{mu, sigma, rating}`.
struct RatingObject: JSONResponseBody {
    var mu: Double
    var sigma: Double

    func write(to json: inout JSONWriter) {
        json.beginObject()
        RatingJSON.members(mu: self.mu, sigma: self.sigma, &json)
        json.endObject()
    }
}

/// `{match_id, items}`: what the caller's own bots in a match wrote to stderr (or their
/// compilers' diagnostics). Other players' logs never leave Submissions.
struct MatchLogsResource: JSONResponseBody {
    var matchID: Int64
    var players: [SubmissionsV1.MatchPlayer]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("match_id", self.matchID)
        json.field("items", self.players.map(LogJSON.init))
        json.endObject()
    }

    private struct LogJSON: JSONResponseBody {
        var player: SubmissionsV1.MatchPlayer

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.field("player", self.player.player)
            json.field("bot_id", self.player.botId)
            json.field("bot_version", self.player.botVersion)
            ProblemResource.optionalName("status", Names.playerStatus.name(of: self.player.status), &json)
            json.field("reason", self.player.reason)
            json.field("log", self.player.log)
            json.endObject()
        }
    }
}

/// The data of an `event: status` line of a match's event stream.
struct MatchEventResource: JSONResponseBody {
    var event: SubmissionsV1.MatchEvent

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", self.event.matchId)
        ProblemResource.optionalName("status", Names.matchStatus.name(of: self.event.status), &json)
        SubmissionJSON.time("at", self.event.atMs, &json)
        json.endObject()
    }
}

/// POST /api/v1/rooms/{id}/bots.
struct BotBody: Decodable, Sendable {
    var language: String?
    var source: String?
}

/// POST /api/v1/matches: the caller's active bot in the room plays the opponents.
struct ChallengeBody: Decodable, Sendable {
    var roomId: Int64?
    var opponents: [Int64]?
    /// A uint64 as a string (JSON numbers cannot hold every uint64); absent: a random seed.
    var seed: String?

    enum CodingKeys: String, CodingKey {
        case opponents, seed
        case roomId = "room_id"
    }

    static let maximumOpponents = 16

    func request(user: Int64) throws -> SubmissionsV1.CreateChallengeRequest {
        var fields = RequiredFields()
        var call = SubmissionsV1.CreateChallengeRequest()
        call.userId = user
        if let roomId, roomId > 0 { call.roomId = roomId } else { fields.add("room_id", roomId == nil ? "is required" : "must be a positive integer") }
        if let opponents, !opponents.isEmpty {
            if opponents.count > Self.maximumOpponents { fields.add("opponents", "must list at most \(Self.maximumOpponents) bots") }
            if opponents.contains(where: { $0 <= 0 }) { fields.add("opponents", "must be positive bot ids") }
            call.opponentBotIds = opponents
        } else {
            fields.add("opponents", "must list at least one bot id")
        }
        if let seed {
            if let value = UInt64(seed), value > 0 { call.seed = value } else { fields.add("seed", "must be a decimal integer from 1 to 18446744073709551615") }
        }
        try fields.check()
        return call
    }
}
