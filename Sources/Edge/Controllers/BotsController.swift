import AlgoProto
import Hummingbird

/// `/api/v1/bots/{id}`: a bot (its source for its owner and staff) and its rating history.
struct BotsController: Sendable {
    let matches: SubmissionsV1.MatchesClient
    let upstream: UpstreamOptions
    let authenticator: BearerAuthenticator

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.getBot, use: self.get)
        router.on(.getRatingHistory, use: self.ratings)
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        var call = SubmissionsV1.GetBotRequest()
        call.botId = try PathID.parse(context, of: "bot")
        // The owner is known only once the bot is loaded: signed-in viewers get the source from
        // Submissions, and ``BotResource`` shows it to the owner and staff only.
        call.includeSource = viewer != nil
        guard let bot = try await self.matches.getBot(call, options: self.upstream.callOptions(context, caller: viewer)).bot else {
            throw Problem.internalError
        }
        return .json(BotResource(bot, viewer: viewer))
    }

    @Sendable func ratings(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        var call = SubmissionsV1.GetRatingHistoryRequest()
        call.botId = try PathID.parse(context, of: "bot")
        let response = try await self.matches.getRatingHistory(call, options: self.upstream.callOptions(context))
        return .json(RatingHistoryResource(points: response.points))
    }
}
