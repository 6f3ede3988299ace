import AlgoProto
import Ratings
import ServiceKit

/// Rating histories and per-user statistics, computed from the stored matches (the truth).
extension MatchStore {
    /// The bot's rating after each rated match, oldest first, from its initial rating; nil
    /// without the bot.
    func ratingHistory(botID: Int64) async throws -> [SubmissionsV1.RatingPoint]? {
        let initial = self.model.rating()
        return try await self.pool.withConnection { connection in
            guard let bot = try connection.query(
                "SELECT (extract(epoch from created_at) * 1000)::bigint AS at_ms FROM bots WHERE id = $1", [botID]
            ).first else { return nil }
            return try Self.history(botID: botID, createdAtMs: try bot.decode("at_ms"), initial: initial, connection: connection)
        }
    }

    /// The initial rating at the bot's creation, then its rating after each rated match.
    static func history(botID: Int64, createdAtMs: Int64, initial: Rating, connection: PostgresConnection) throws -> [SubmissionsV1.RatingPoint] {
        var start = SubmissionsV1.RatingPoint()
        start.atMs = createdAtMs
        start.mu = initial.mu
        start.sigma = initial.sigma
        let points = try connection.query(
            """
            SELECT m.id, (extract(epoch from m.finished_at) * 1000)::bigint AS at_ms, p.mu_after, p.sigma_after, p.rank
            FROM match_players p JOIN matches m ON m.id = p.match_id
            WHERE p.bot_id = $1 AND m.rated_at IS NOT NULL ORDER BY m.rated_at, m.id
            """,
            [botID]
        ).map { row in
            var point = SubmissionsV1.RatingPoint()
            point.matchId = try row.decode("id")
            point.atMs = try row.decode("at_ms")
            point.mu = try row.decode("mu_after")
            point.sigma = try row.decode("sigma_after")
            point.rank = try row.decode("rank")
            return point
        }
        return [start] + points
    }

    /// Games, wins and win rate per game over finished matches (a win is a sole first place), and
    /// the best active ranking bot's rating per game.
    func statistics(userID: Int64) async throws -> SubmissionsV1.GetUserStatisticsResponse {
        let initial = self.model.rating()
        return try await self.pool.withConnection { connection in
            var response = SubmissionsV1.GetUserStatisticsResponse()
            var perGame: [Int64: SubmissionsV1.GameStatistics] = [:]
            var order: [Int64] = []
            for row in try connection.query(
                """
                SELECT m.game_id, min(m.game_slug) AS slug, count(*)::integer AS games,
                    count(*) FILTER (WHERE p.rank = 1 AND p.status = 'ok' AND NOT EXISTS (
                        SELECT 1 FROM match_players o WHERE o.match_id = p.match_id AND o.player <> p.player AND o.rank = 1))::integer AS wins
                FROM match_players p JOIN matches m ON m.id = p.match_id
                WHERE p.user_id = $1 AND m.status = 'done'
                GROUP BY m.game_id ORDER BY m.game_id
                """,
                [userID]
            ) {
                var game = SubmissionsV1.GameStatistics()
                game.gameId = try row.decode("game_id")
                game.gameSlug = try row.decode("slug")
                game.games = try row.decode("games")
                game.wins = try row.decode("wins")
                game.winRate = game.games > 0 ? Double(game.wins) / Double(game.games) : 0
                perGame[game.gameId] = game
                order.append(game.gameId)
            }
            for row in try connection.query(
                """
                SELECT DISTINCT ON (game_id) id, game_id, game_slug, mu, sigma, (extract(epoch from created_at) * 1000)::bigint AS at_ms FROM bots
                WHERE user_id = $1 AND active AND room_kind = 'ranking' ORDER BY game_id, mu - 3 * sigma DESC
                """,
                [userID]
            ) {
                let gameID: Int64 = try row.decode("game_id")
                if perGame[gameID] == nil {
                    var game = SubmissionsV1.GameStatistics()
                    game.gameId = gameID
                    game.gameSlug = try row.decode("game_slug")
                    perGame[gameID] = game
                    order.append(gameID)
                }
                perGame[gameID]!.bestMu = try row.decode("mu")
                perGame[gameID]!.bestSigma = try row.decode("sigma")
                perGame[gameID]!.bestBotId = try row.decode("id")
                perGame[gameID]!.ratingHistory = try Self.history(
                    botID: try row.decode("id"), createdAtMs: try row.decode("at_ms"), initial: initial, connection: connection
                )
            }
            response.perGame = order.map { perGame[$0]! }
            response.games = response.perGame.reduce(0) { $0 + $1.games }
            response.wins = response.perGame.reduce(0) { $0 + $1.wins }
            let bots = try connection.query("SELECT count(*)::integer AS n FROM bots WHERE user_id = $1", [userID])
            response.bots = try bots[0].decode("n")
            return response
        }
    }
}
