import AlgoProto
import Logging
import Ratings
import ServiceKit

/// Each ranking room's leaderboard, cached in a Redis sorted set ("leaderboard:{room}", member the
/// bot id, score mu − 3·sigma) of the room's active bots. PostgreSQL is the truth: a missing set
/// is rebuilt from it on read, updates only touch a set that exists (so a lost set never comes
/// back partial), and when Redis is down the order comes straight from PostgreSQL.
struct Leaderboard: Sendable {
    let redis: RedisPool
    let pool: PostgresPool
    let prefix: String
    let logger: Logger

    static let defaultPrefix = "leaderboard:"

    func key(_ roomID: Int64) -> String { "\(self.prefix)\(roomID)" }

    /// Applied atomically, and only to a set that exists: ARGV[1] is a member to remove ("" for
    /// none), then score/member pairs to add.
    private static let updateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
        if #ARGV > 1 then redis.call('ZADD', KEYS[1], unpack(ARGV, 2)) end
        return 1
        """

    /// After a rating change or a new active bot. A failure drops the set, to be rebuilt.
    func update(roomID: Int64, remove: Int64? = nil, set bots: [(id: Int64, rating: Rating)]) async {
        var arguments = ["EVAL", Self.updateScript, "1", self.key(roomID), remove.map(String.init) ?? ""]
        for bot in bots { arguments += [Self.score(bot.rating), String(bot.id)] }
        do {
            _ = try await self.redis.command(arguments)
        } catch {
            self.logger.warning("updating a leaderboard failed; dropping it to rebuild", metadata: ["room": "\(roomID)", "error": "\(error)"])
            _ = try? await self.redis.delete(self.key(roomID))
        }
    }

    /// The best `limit` active bots of the room, best first.
    func top(roomID: Int64, limit: Int) async throws -> [SubmissionsV1.LeaderboardEntry] {
        let ids: [Int64]
        do {
            ids = try await self.cachedTop(roomID: roomID, limit: limit)
        } catch {
            self.logger.warning("leaderboard cache unavailable; reading PostgreSQL", metadata: ["room": "\(roomID)", "error": "\(error)"])
            ids = try await self.pool.query(
                "SELECT id FROM bots WHERE room_id = $1 AND active AND room_kind = 'ranking' ORDER BY mu - 3 * sigma DESC, id DESC LIMIT $2",
                [roomID, limit]
            ).map { try $0.decode("id") }
        }
        guard !ids.isEmpty else { return [] }
        var bots: [Int64: SubmissionsV1.Bot] = [:]
        for row in try await self.pool.query(
            "SELECT \(MatchRows.botColumns) FROM bots b WHERE b.id = ANY($1::bigint[])", ["{" + ids.map(String.init).joined(separator: ",") + "}"]
        ) {
            let bot = try MatchRows.bot(row)
            bots[bot.id] = bot
        }
        // A bot replaced between the two reads is left out rather than shown with a stale rank.
        return ids.compactMap { bots[$0] }.filter(\.active).enumerated().map { index, bot in
            var entry = SubmissionsV1.LeaderboardEntry()
            entry.position = Int32(index + 1)
            entry.bot = bot
            entry.ordinal = Rating(mu: bot.mu, sigma: bot.sigma).ordinal
            return entry
        }
    }

    private func cachedTop(roomID: Int64, limit: Int) async throws -> [Int64] {
        let key = self.key(roomID)
        if try await self.redis.command(["EXISTS", key]).integer == 0 {
            try await self.rebuild(roomID: roomID)
        }
        return try await self.redis.zrangeWithScores(key, start: 0, stop: limit - 1, reverse: true).compactMap { Int64($0.member) }
    }

    /// Replaces the set with the room's active bots as PostgreSQL has them.
    func rebuild(roomID: Int64) async throws {
        let rows = try await self.pool.query(
            "SELECT id, mu, sigma FROM bots WHERE room_id = $1 AND active AND room_kind = 'ranking'", [roomID]
        )
        var add = ["ZADD", self.key(roomID)]
        for row in rows {
            add += [Self.score(Rating(mu: try row.decode("mu"), sigma: try row.decode("sigma"))), String(try row.decode("id", as: Int64.self))]
        }
        // One transaction: a reader never sees the set empty halfway through.
        var commands = [["MULTI"], ["DEL", self.key(roomID)]]
        if add.count > 2 { commands.append(add) }
        commands.append(["EXEC"])
        for reply in try await self.redis.pipeline(commands) {
            if case .error(let message) = reply { throw RedisError(.serverError, message) }
        }
    }

    /// Rebuilds every ranking room's set (a periodic repair of anything an update missed).
    func rebuildAll() async throws {
        for row in try await self.pool.query("SELECT DISTINCT room_id FROM bots WHERE active AND room_kind = 'ranking'") {
            try await self.rebuild(roomID: try row.decode("room_id"))
        }
    }

    static func score(_ rating: Rating) -> String {
        String(rating.ordinal)
    }
}
