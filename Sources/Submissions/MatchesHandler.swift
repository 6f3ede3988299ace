import AlgoProto
import Logging
import RPC
import ServiceKit

/// The Matches service: bots, challenges, match results, ratings and leaderboards.
///
/// Edge authenticates the end user and decides who sees what (a bot's source, its logs); the
/// judge plays matches from the stream and reports through StartMatch and CompleteMatch, keyed by
/// job id so that only the current job of a match counts, once.
struct MatchesHandler: SubmissionsV1.MatchesHandler {
    let bots: BotStore
    let matches: MatchStore
    let dispatcher: MatchDispatcher
    let events: EventPublisher
    let leaderboard: Leaderboard
    let games: GameDirectory
    /// Wakes the ranked scheduler when a rated match ends, so that the room fills up again at once.
    let bell: SchedulerBell
    /// Queued and running challenges a user may have at once.
    var maxOpenChallenges = 5

    func submitBot(_ request: SubmissionsV1.SubmitBotRequest, context: RPCServerContext) async throws -> SubmissionsV1.SubmitBotResponse {
        var violations: [CommonV1.FieldViolation] = []
        if request.userId <= 0 { violations.append(.init("user_id", "must be a positive id")) }
        if request.roomId <= 0 { violations.append(.init("room_id", "must be a positive id")) }
        if !StoredCodes.languages.contains(request.language) {
            violations.append(.init("language", "must be one of \(StoredCodes.languages.joined(separator: ", "))"))
        }
        if let problem = SubmissionValidation.source(request.sourceCode) { violations.append(.init("source_code", problem)) }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        let room = try await self.games.room(id: request.roomId)
        let submitted = try await storage {
            try await self.bots.submit(userID: request.userId, room: room, language: request.language, source: request.sourceCode)
        }
        if room.kind == .ranking {
            let bot = submitted.bot
            await self.leaderboard.update(roomID: room.id, remove: submitted.replaced, set: [(bot.id, .init(mu: bot.mu, sigma: bot.sigma))])
        }
        context.logger.info("bot submitted", metadata: ["bot_id": "\(submitted.bot.id)", "room_id": "\(room.id)"])
        var response = SubmissionsV1.SubmitBotResponse()
        response.bot = submitted.bot
        return response
    }

    func getBot(_ request: SubmissionsV1.GetBotRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetBotResponse {
        guard request.botId > 0 else { throw RPCError.invalid("bot_id", "must be a positive id") }
        guard let bot = try await storage({ try await self.bots.find(id: request.botId, includeSource: request.includeSource) }) else {
            throw RPCError(.notFound, "no bot with id \(request.botId)")
        }
        var response = SubmissionsV1.GetBotResponse()
        response.bot = bot
        return response
    }

    func listBots(_ request: SubmissionsV1.ListBotsRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListBotsResponse {
        let (before, size) = try Self.page(request.page, filters: [("room_id", request.roomId), ("user_id", request.userId)])
        var bots = try await storage {
            try await self.bots.list(roomID: request.roomId, userID: request.userId, activeOnly: request.activeOnly, beforeID: before, limit: size + 1)
        }
        var response = SubmissionsV1.ListBotsResponse()
        response.page = PageToken.info(&bots, size: size, id: \.id)
        response.bots = bots
        return response
    }

    func createChallenge(
        _ request: SubmissionsV1.CreateChallengeRequest, context: RPCServerContext
    ) async throws -> SubmissionsV1.CreateChallengeResponse {
        var violations: [CommonV1.FieldViolation] = []
        if request.userId <= 0 { violations.append(.init("user_id", "must be a positive id")) }
        if request.roomId <= 0 { violations.append(.init("room_id", "must be a positive id")) }
        if request.opponentBotIds.isEmpty { violations.append(.init("opponent_bot_ids", "name at least one opponent")) }
        if Set(request.opponentBotIds).count != request.opponentBotIds.count {
            violations.append(.init("opponent_bot_ids", "must not repeat a bot"))
        }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        let room = try await self.games.room(id: request.roomId)
        let players = request.opponentBotIds.count + 1
        guard (Int(room.minPlayers)...Int(room.maxPlayers)).contains(players) else {
            throw RPCError.invalid("opponent_bot_ids", "\(room.gameSlug) is played by \(room.minPlayers) to \(room.maxPlayers) players; this names \(players)")
        }
        guard let own = try await storage({ try await self.bots.active(userID: request.userId, roomID: room.id) }) else {
            throw RPCError(.failedPrecondition, "submit a bot to room \(room.id) before challenging others")
        }
        var opponents: [SubmissionsV1.Bot] = []
        for (index, id) in request.opponentBotIds.enumerated() {
            guard let bot = try await storage({ try await self.bots.find(id: id, includeSource: false) }), bot.roomId == room.id else {
                throw RPCError.invalid("opponent_bot_ids[\(index)]", "bot \(id) is not in room \(room.id)")
            }
            guard bot.id != own.id else { throw RPCError.invalid("opponent_bot_ids[\(index)]", "is your own active bot, which already plays") }
            opponents.append(bot)
        }
        guard try await storage({ try await self.matches.openChallenges(userID: request.userId) }) < self.maxOpenChallenges else {
            throw RPCError(.resourceExhausted, "at most \(self.maxOpenChallenges) challenges may wait or run at once; wait for one to finish")
        }
        // Challenges are never rated: only the scheduler's matches, whose opponents nobody picks, count.
        let plan = MatchStore.Plan(
            room: room, kind: .challenge, rated: false, seed: request.seed != 0 ? request.seed : UInt64.random(in: 1...UInt64.max),
            createdBy: request.userId, bots: [own] + opponents
        )
        let (match, job) = try await storage { try await self.matches.create(plan) }
        context.logger.info("challenge created", metadata: ["match_id": "\(match.id)", "job_id": "\(job.jobID)"])
        await self.dispatcher.enqueue([job], logger: context.logger)
        var response = SubmissionsV1.CreateChallengeResponse()
        response.match = match
        return response
    }

    func getMatch(_ request: SubmissionsV1.GetMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetMatchResponse {
        var response = SubmissionsV1.GetMatchResponse()
        response.match = try await self.match(request.matchId)
        return response
    }

    func listMatches(_ request: SubmissionsV1.ListMatchesRequest, context: RPCServerContext) async throws -> SubmissionsV1.ListMatchesResponse {
        let (before, size) = try Self.page(
            request.page, filters: [("room_id", request.roomId), ("bot_id", request.botId), ("user_id", request.userId)]
        )
        var matches = try await storage {
            try await self.matches.list(roomID: request.roomId, botID: request.botId, userID: request.userId, beforeID: before, limit: size + 1)
        }
        var response = SubmissionsV1.ListMatchesResponse()
        response.page = PageToken.info(&matches, size: size, id: \.id)
        response.matches = matches
        return response
    }

    func getReplay(_ request: SubmissionsV1.GetReplayRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetReplayResponse {
        guard request.matchId > 0 else { throw RPCError.invalid("match_id", "must be a positive id") }
        guard let replay = try await storage({ try await self.matches.replay(id: request.matchId) }) else {
            throw RPCError(.notFound, "no match with id \(request.matchId)")
        }
        guard !replay.isEmpty else { throw RPCError(.notFound, "match \(request.matchId) has no replay (it has not finished)") }
        var response = SubmissionsV1.GetReplayResponse()
        response.replayGzip = replay
        return response
    }

    func getMatchLogs(_ request: SubmissionsV1.GetMatchLogsRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetMatchLogsResponse {
        guard request.matchId > 0 else { throw RPCError.invalid("match_id", "must be a positive id") }
        guard request.userId > 0 else { throw RPCError.invalid("user_id", "must be a positive id") }
        guard let players = try await storage({ try await self.matches.logs(matchID: request.matchId, userID: request.userId) }) else {
            throw RPCError(.notFound, "no match with id \(request.matchId)")
        }
        var response = SubmissionsV1.GetMatchLogsResponse()
        response.players = players
        return response
    }

    func getLeaderboard(_ request: SubmissionsV1.GetLeaderboardRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetLeaderboardResponse {
        guard request.roomId > 0 else { throw RPCError.invalid("room_id", "must be a positive id") }
        guard (0...1000).contains(request.limit) else { throw RPCError.invalid("limit", "must be between 0 (the default, 100) and 1000") }
        let room = try await self.games.room(id: request.roomId)
        var response = SubmissionsV1.GetLeaderboardResponse()
        guard room.kind == .ranking else { return response }
        response.entries = try await storage { try await self.leaderboard.top(roomID: room.id, limit: request.limit == 0 ? 100 : Int(request.limit)) }
        return response
    }

    func getRankedQueue(_ request: SubmissionsV1.GetRankedQueueRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetRankedQueueResponse {
        guard request.roomId > 0 else { throw RPCError.invalid("room_id", "must be a positive id") }
        var response = SubmissionsV1.GetRankedQueueResponse()
        response.matches = try await storage { try await self.matches.pending(roomID: request.roomId) }
        response.bots = try await storage { try await self.bots.activeBots(roomID: request.roomId) }
        return response
    }

    func getRatingHistory(_ request: SubmissionsV1.GetRatingHistoryRequest, context: RPCServerContext) async throws -> SubmissionsV1.GetRatingHistoryResponse {
        guard request.botId > 0 else { throw RPCError.invalid("bot_id", "must be a positive id") }
        guard let points = try await storage({ try await self.matches.ratingHistory(botID: request.botId) }) else {
            throw RPCError(.notFound, "no bot with id \(request.botId)")
        }
        var response = SubmissionsV1.GetRatingHistoryResponse()
        response.points = points
        return response
    }

    func getUserStatistics(
        _ request: SubmissionsV1.GetUserStatisticsRequest, context: RPCServerContext
    ) async throws -> SubmissionsV1.GetUserStatisticsResponse {
        guard request.userId > 0 else { throw RPCError.invalid("user_id", "must be a positive id") }
        return try await storage { try await self.matches.statistics(userID: request.userId) }
    }

    // MARK: The judge's calls

    func startMatch(_ request: SubmissionsV1.StartMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.StartMatchResponse {
        guard request.matchId > 0 else { throw RPCError.invalid("match_id", "must be a positive id") }
        guard let jobID = SubmissionValidation.jobID(request.jobId) else { throw RPCError.invalid("job_id", "must be a UUID") }
        switch try await storage({ try await self.matches.start(matchID: request.matchId, jobID: jobID) }) {
        case .notFound:
            throw RPCError(.notFound, "no match with id \(request.matchId)")
        case .stale:
            var response = SubmissionsV1.StartMatchResponse()
            response.staleJob = true
            return response
        case .started(let response, let wasQueued):
            if wasQueued { await self.events.publishMatches([EventPublisher.matchEvent(request.matchId, .running)]) }
            return response
        }
    }

    func completeMatch(_ request: SubmissionsV1.CompleteMatchRequest, context: RPCServerContext) async throws -> SubmissionsV1.CompleteMatchResponse {
        var request = request
        guard request.matchId > 0 else { throw RPCError.invalid("match_id", "must be a positive id") }
        guard let jobID = SubmissionValidation.jobID(request.jobId) else { throw RPCError.invalid("job_id", "must be a UUID") }
        request.jobId = jobID
        if request.refereeError.isEmpty {
            for (index, player) in request.players.enumerated() {
                if player.rank < 1 { throw RPCError.invalid("players[\(index)].rank", "must be 1 or more") }
                if MatchRows.word(player.status, in: MatchRows.playerStatuses).isEmpty {
                    throw RPCError.invalid("players[\(index)].status", "must be a known player status")
                }
            }
        }
        let outcome: MatchStore.CompletionOutcome
        do {
            outcome = try await storage { try await self.matches.complete(request) }
        } catch let error as MatchStore.MatchResultError {
            throw RPCError.invalid("players", error.description)
        }
        var response = SubmissionsV1.CompleteMatchResponse()
        switch outcome {
        case .notFound:
            throw RPCError(.notFound, "no match with id \(request.matchId)")
        case .stale:
            response.staleJob = true
        case .repeated:
            break
        case .retry(let job):
            context.logger.warning("the referee failed; playing the match again", metadata: ["match_id": "\(job.matchID)", "attempt": "\(job.attempt)"])
            await self.dispatcher.enqueue([job], logger: context.logger)
        case .failed(let match):
            context.logger.error("the referee failed on every attempt", metadata: ["match_id": "\(match.id)", "error": "\(match.error)"])
            if match.rated { self.bell.ring() }
            await self.events.publishMatches([EventPublisher.matchEvent(match.id, .failed)])
        case .done(let match, let rated):
            if match.rated { self.bell.ring() }
            for bot in rated where bot.active {
                await self.leaderboard.update(roomID: bot.roomID, set: [(bot.botID, bot.rating)])
            }
            await self.events.publishMatches([EventPublisher.matchEvent(match.id, .done)])
        }
        return response
    }

    // MARK: Helpers

    private func match(_ id: Int64) async throws -> SubmissionsV1.Match {
        guard id > 0 else { throw RPCError.invalid("match_id", "must be a positive id") }
        guard let match = try await storage({ try await self.matches.find(id: id) }) else {
            throw RPCError(.notFound, "no match with id \(id)")
        }
        return match
    }

    /// The cursor (0: from the newest) and page size, or INVALID_ARGUMENT naming the bad fields.
    static func page(_ page: CommonV1.PageRequest?, filters: [(String, Int64)]) throws -> (before: Int64, size: Int) {
        var violations: [CommonV1.FieldViolation] = []
        for (field, value) in filters where value < 0 { violations.append(.init(field, "must be 0 (any) or a positive id")) }
        let page = page ?? CommonV1.PageRequest()
        if page.pageSize < 0 { violations.append(.init("page.page_size", "must not be negative")) }
        var before: Int64 = 0
        if !page.pageToken.isEmpty {
            if let decoded = PageToken.decode(page.pageToken) { before = decoded } else {
                violations.append(.init("page.page_token", "is not a token this service issued"))
            }
        }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        return (before, PageToken.size(page.pageSize))
    }
}
