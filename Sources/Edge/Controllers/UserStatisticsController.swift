import AlgoProto
import Hummingbird

/// `GET /api/v1/users/{username}/stats`: a user's games, wins and bots (Submissions counts them).
struct UserStatisticsController: Sendable {
    let lookup: UserLookup
    let matches: SubmissionsV1.MatchesClient
    let upstream: UpstreamOptions
    let authenticator: BearerAuthenticator

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.getUserStatistics, use: self.get)
    }

    @Sendable func get(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        // Nothing longer than any username could be is sent on.
        guard let username = context.parameters.get("username"), (1...64).contains(username.utf8.count),
            let id = try await self.lookup.id(username, viewer: viewer, context: context)
        else {
            throw Problem(.notFound, "No such user.")
        }
        var call = SubmissionsV1.GetUserStatisticsRequest()
        call.userId = id
        let response = try await self.matches.getUserStatistics(call, options: self.upstream.callOptions(context, caller: viewer))
        return .json(UserStatisticsResource(username: username, userID: id, statistics: response))
    }
}
