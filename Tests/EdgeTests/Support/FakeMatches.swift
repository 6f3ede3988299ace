import AlgoProto
import Foundation
import RPC
import Synchronization

/// Submissions' Matches service in memory: bots per room (each user's newest is active),
/// challenges, results, replays, logs, ratings and leaderboards. Records what Edge forwarded.
final class FakeMatches: SubmissionsV1.MatchesHandler {
    struct State {
        var bots: [Int64: SubmissionsV1.Bot] = [:]
        var matches: [Int64: SubmissionsV1.Match] = [:]
        var replays: [Int64: [UInt8]] = [:]
        var ratings: [Int64: [SubmissionsV1.RatingPoint]] = [:]
        var nextID: Int64 = 1
        var botRequests: [SubmissionsV1.GetBotRequest] = []
        var challenges: [SubmissionsV1.CreateChallengeRequest] = []
        var logRequests: [SubmissionsV1.GetMatchLogsRequest] = []
        var leaderboardRequests: [SubmissionsV1.GetLeaderboardRequest] = []
    }

    let state = Mutex(State())
    let games: FakeGames

    init(games: FakeGames) {
        self.games = games
    }

    /// Test hooks: change a stored bot or match (as ratings and judging would).
    func updateBot(_ id: Int64, _ change: (inout SubmissionsV1.Bot) -> Void) {
        self.state.withLock { state in if state.bots[id] != nil { change(&state.bots[id]!) } }
    }

    func updateMatch(_ id: Int64, _ change: (inout SubmissionsV1.Match) -> Void) {
        self.state.withLock { state in if state.matches[id] != nil { change(&state.matches[id]!) } }
    }

    static func withoutLogs(_ match: SubmissionsV1.Match) -> SubmissionsV1.Match {
        var match = match
        for index in match.players.indices { match.players[index].log = "" }
        return match
    }

    func submitBot(_ request: SubmissionsV1.SubmitBotRequest, context: RPCServerContext) async throws -> SubmissionsV1.SubmitBotResponse {
        guard let room = self.games.room(request.roomId) else { throw RPCError(.notFound, "no such room") }
        guard ["c", "python"].contains(request.language) else { throw FakeProblems.invalid("language", "is not a judge language") }
        return self.state.withLock { state in
            let previous = state.bots.values.filter { $0.userId == request.userId && $0.roomId == room.id }
            for bot in previous { state.bots[bot.id]?.active = false }
            var bot = SubmissionsV1.Bot()
            bot.id = state.nextID
            state.nextID += 1
            bot.userId = request.userId
            bot.roomId = room.id
            bot.gameId = room.gameId
            bot.gameSlug = room.gameSlug
            bot.version = Int32(previous.count + 1)
            bot.language = request.language
            bot.sourceCode = request.sourceCode
            bot.active = true
            bot.createdAtMs = 1_700_000_000_000 + bot.id
            bot.placementRemaining = room.kind == .ranking ? 5 : 0
            bot.mu = 25
            bot.sigma = 25.0 / 3
            state.bots[bot.id] = bot
            var response = SubmissionsV1.SubmitBotResponse()
            response.bot = bot
            return response
        }
    }

    func getBot(_ request: SubmissionsV1.GetBotRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetBotResponse {
        let found = self.state.withLock { state in
            state.botRequests.append(request)
            return state.bots[request.botId]
        }
        guard var bot = found else { throw RPCError(.notFound, "no such bot") }
        if !request.includeSource { bot.sourceCode = "" }
        var response = SubmissionsV1.GetBotResponse()
        response.bot = bot
        return response
    }

    /// Newest first, paged by id (the token is the last id of the previous page); no sources.
    func listBots(_ request: SubmissionsV1.ListBotsRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListBotsResponse {
        let before = Int64(request.page?.pageToken ?? "") ?? Int64.max
        let size = Int(request.page?.pageSize ?? 0) > 0 ? Int(request.page!.pageSize) : 20
        let bots = self.state.withLock { state in
            state.bots.values.sorted { $0.id > $1.id }.filter { bot in
                bot.id < before && (request.roomId == 0 || bot.roomId == request.roomId)
                    && (request.userId == 0 || bot.userId == request.userId) && (!request.activeOnly || bot.active)
            }
        }
        var response = SubmissionsV1.ListBotsResponse()
        response.bots = bots.prefix(size).map { bot in
            var bot = bot
            bot.sourceCode = ""
            return bot
        }
        var page = CommonV1.PageInfo()
        if bots.count > size, let last = response.bots.last { page.nextPageToken = String(last.id) }
        response.page = page
        return response
    }

    func createChallenge(_ request: SubmissionsV1.CreateChallengeRequest, context: RPCServerContext) async throws -> SubmissionsV1.CreateChallengeResponse {
        guard let room = self.games.room(request.roomId) else { throw RPCError(.notFound, "no such room") }
        return try self.state.withLock { state in
            guard let own = state.bots.values.first(where: { $0.userId == request.userId && $0.roomId == room.id && $0.active }) else {
                throw RPCError(.failedPrecondition, "you have no active bot in this room")
            }
            let opponents = request.opponentBotIds.compactMap { state.bots[$0] }.filter { $0.roomId == room.id }
            guard opponents.count == request.opponentBotIds.count else { throw FakeProblems.invalid("opponents", "are not all bots of this room") }
            state.challenges.append(request)
            var match = SubmissionsV1.Match()
            match.id = state.nextID
            state.nextID += 1
            match.roomId = room.id
            match.gameId = room.gameId
            match.gameSlug = room.gameSlug
            match.gameVersionId = room.gameVersionId
            match.gameVersion = room.version
            match.kind = .challenge
            match.status = .queued
            match.seed = request.seed == 0 ? UInt64.random(in: 1...UInt64.max) : request.seed
            match.createdBy = request.userId
            match.createdAtMs = 1_700_000_000_000 + match.id
            match.players = ([own] + opponents).enumerated().map { index, bot in
                var player = SubmissionsV1.MatchPlayer()
                player.player = Int32(index + 1)
                player.botId = bot.id
                player.userId = bot.userId
                player.botVersion = bot.version
                return player
            }
            state.matches[match.id] = match
            var response = SubmissionsV1.CreateChallengeResponse()
            response.match = match
            return response
        }
    }

    func getMatch(_ request: SubmissionsV1.GetMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetMatchResponse {
        guard let match = self.state.withLock({ $0.matches[request.matchId] }) else { throw RPCError(.notFound, "no such match") }
        var response = SubmissionsV1.GetMatchResponse()
        response.match = Self.withoutLogs(match)
        return response
    }

    func listMatches(_ request: SubmissionsV1.ListMatchesRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListMatchesResponse {
        let before = Int64(request.page?.pageToken ?? "") ?? Int64.max
        let size = Int(request.page?.pageSize ?? 0) > 0 ? Int(request.page!.pageSize) : 20
        let matches = self.state.withLock { state in
            state.matches.values.sorted { $0.id > $1.id }.filter { match in
                match.id < before && (request.roomId == 0 || match.roomId == request.roomId)
                    && (request.botId == 0 || match.players.contains { $0.botId == request.botId })
                    && (request.userId == 0 || match.players.contains { $0.userId == request.userId })
            }
        }
        var response = SubmissionsV1.ListMatchesResponse()
        response.matches = matches.prefix(size).map(Self.withoutLogs)
        var page = CommonV1.PageInfo()
        if matches.count > size, let last = response.matches.last { page.nextPageToken = String(last.id) }
        response.page = page
        return response
    }

    func getReplay(_ request: SubmissionsV1.GetReplayRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetReplayResponse {
        try self.state.withLock { state in
            guard state.matches[request.matchId] != nil else { throw RPCError(.notFound, "no such match") }
            var response = SubmissionsV1.GetReplayResponse()
            response.replayGzip = state.replays[request.matchId] ?? []
            return response
        }
    }

    func getMatchLogs(_ request: SubmissionsV1.GetMatchLogsRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetMatchLogsResponse {
        try self.state.withLock { state in
            state.logRequests.append(request)
            guard let match = state.matches[request.matchId] else { throw RPCError(.notFound, "no such match") }
            var response = SubmissionsV1.GetMatchLogsResponse()
            response.players = match.players.filter { $0.userId == request.userId }
            return response
        }
    }

    func getLeaderboard(_ request: SubmissionsV1.GetLeaderboardRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetLeaderboardResponse {
        guard self.games.room(request.roomId) != nil else { throw RPCError(.notFound, "no such room") }
        let limit = request.limit == 0 ? 100 : Int(request.limit)
        let bots = self.state.withLock { state in
            state.leaderboardRequests.append(request)
            return state.bots.values.filter { $0.roomId == request.roomId && $0.active }.sorted { $0.mu - 3 * $0.sigma > $1.mu - 3 * $1.sigma }
        }
        var response = SubmissionsV1.GetLeaderboardResponse()
        response.entries = bots.prefix(limit).enumerated().map { index, bot in
            var entry = SubmissionsV1.LeaderboardEntry()
            entry.position = Int32(index + 1)
            var bot = bot
            bot.sourceCode = ""
            entry.bot = bot
            entry.ordinal = bot.mu - 3 * bot.sigma
            return entry
        }
        return response
    }

    func getRankedQueue(_ request: SubmissionsV1.GetRankedQueueRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetRankedQueueResponse {
        guard self.games.room(request.roomId) != nil else { throw RPCError(.notFound, "no such room") }
        return self.state.withLock { state in
            var response = SubmissionsV1.GetRankedQueueResponse()
            response.matches = state.matches.values.filter { $0.roomId == request.roomId && ($0.status == .queued || $0.status == .running) }
                .sorted { $0.id < $1.id }.map(Self.withoutLogs)
            response.bots = state.bots.values.filter { $0.roomId == request.roomId && $0.active }
                .sorted { ($0.games, $0.id) < ($1.games, $1.id) }
                .map { bot in
                    var bot = bot
                    bot.sourceCode = ""
                    return bot
                }
            return response
        }
    }

    func getRatingHistory(_ request: SubmissionsV1.GetRatingHistoryRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetRatingHistoryResponse {
        try self.state.withLock { state in
            guard let bot = state.bots[request.botId] else { throw RPCError(.notFound, "no such bot") }
            var initial = SubmissionsV1.RatingPoint()
            initial.atMs = bot.createdAtMs
            initial.mu = 25
            initial.sigma = 25.0 / 3
            var response = SubmissionsV1.GetRatingHistoryResponse()
            response.points = [initial] + (state.ratings[bot.id] ?? [])
            return response
        }
    }

    /// Counted from the user's bots.
    func getUserStatistics(_ request: SubmissionsV1.GetUserStatisticsRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetUserStatisticsResponse {
        let bots = self.state.withLock { state in state.bots.values.filter { $0.userId == request.userId }.sorted { $0.id < $1.id } }
        var response = SubmissionsV1.GetUserStatisticsResponse()
        response.bots = Int32(bots.count)
        response.games = bots.reduce(0) { $0 + $1.games }
        response.wins = bots.reduce(0) { $0 + $1.wins }
        var order: [Int64] = []
        for bot in bots where !order.contains(bot.gameId) { order.append(bot.gameId) }
        response.perGame = order.map { gameID in
            let own = bots.filter { $0.gameId == gameID }
            var statistics = SubmissionsV1.GameStatistics()
            statistics.gameId = gameID
            statistics.gameSlug = own.first?.gameSlug ?? ""
            statistics.games = own.reduce(0) { $0 + $1.games }
            statistics.wins = own.reduce(0) { $0 + $1.wins }
            statistics.winRate = statistics.games > 0 ? Double(statistics.wins) / Double(statistics.games) : 0
            let ranked = own.filter { $0.active && self.games.room($0.roomId)?.kind == .ranking }
            if let best = ranked.max(by: { $0.mu - 3 * $0.sigma < $1.mu - 3 * $1.sigma }) {
                statistics.bestMu = best.mu
                statistics.bestSigma = best.sigma
            }
            return statistics
        }
        return response
    }

    func startMatch(_ request: SubmissionsV1.StartMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.StartMatchResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func completeMatch(_ request: SubmissionsV1.CompleteMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.CompleteMatchResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }
}
