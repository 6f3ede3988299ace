import AlgoProto
import Hummingbird
import Logging
import ServiceKit

/// Edge's public HTTP application; `EdgeMain` runs it and the tests build the same one.
func buildApplication(
    configuration: EdgeConfiguration,
    dependencies: EdgeDependencies,
    logger: Logger
) throws -> some ApplicationProtocol {
    var logger = logger
    logger[metadataKey: "port"] = "public"
    return Application(
        router: try buildRouter(configuration: configuration, dependencies: dependencies),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger
    )
}

/// Middleware first (they wrap only the routes added after them), outermost first.
func buildRouter(configuration: EdgeConfiguration, dependencies: EdgeDependencies) throws -> Router<EdgeRequestContext> {
    let router = Router(context: EdgeRequestContext.self)
    router.add(middleware: RequestIdentityMiddleware())
    router.add(middleware: RouteMetricsMiddleware())
    router.add(middleware: CORSAllowListMiddleware(allowedOrigins: configuration.corsAllowedOrigins))
    router.add(middleware: ProblemMiddleware(routes: APIOperation.all))

    let users = UsersV1.UsersClient(dependencies.users)
    let upstream = UpstreamOptions(timeout: configuration.upstreamTimeout)
    let body = JSONBodyReader(maxBytes: configuration.maxBodyBytes)
    let authenticator = BearerAuthenticator(verifier: try AccessTokenVerifier(publicKey: configuration.jwtPublicKey))
    let limiter = RateLimiter(counter: dependencies.rateLimitCounter, keyPrefix: configuration.rateLimits.keyPrefix)
    let limits = AuthRateLimits(limiter: limiter, settings: configuration.rateLimits, trustedProxies: configuration.trustedProxies)
    let auth = AuthController(users: users, upstream: upstream, body: body, limits: limits)
    auth.addRoutes(to: router)
    LegacyAuthController(auth: auth).addRoutes(to: router)
    UsersController(users: users, upstream: upstream, body: body, authenticator: authenticator).addRoutes(to: router)

    let problems = ProblemsV1.ProblemsClient(dependencies.problems)
    let submissions = SubmissionsV1.SubmissionsClient(dependencies.submissions)
    let access = ProblemAccess(problems: problems, upstream: upstream)
    LanguagesController(problems: problems, upstream: upstream).addRoutes(to: router)
    let lookup = UserLookup(users: users, upstream: upstream)
    ProblemsController(
        access: access, lookup: lookup, submissions: submissions, upstream: upstream, body: body, authenticator: authenticator
    ).addRoutes(to: router)
    ProblemTestsController(access: access, upstream: upstream, authenticator: authenticator, maxBytes: configuration.maxTestDataBytes)
        .addRoutes(to: router)
    let submissionsController = SubmissionsController(
        submissions: submissions, access: access, lookup: lookup, upstream: upstream,
        // A 64 KiB source plus JSON escaping must fit, whatever MAX_BODY_BYTES says.
        body: JSONBodyReader(maxBytes: max(configuration.maxBodyBytes, 4 * SubmissionsController.maximumSourceBytes)),
        authenticator: authenticator, limiter: limiter,
        submitRule: .init(name: "submit-user", limit: configuration.rateLimits.submissionsPerUser, window: configuration.rateLimits.window)
    )
    submissionsController.addRoutes(to: router)
    let live = LiveEventStream(events: dependencies.events, heartbeat: configuration.eventHeartbeat)
    SubmissionEventsController(submissions: submissionsController, live: live).addRoutes(to: router)
    addGameRoutes(to: router, configuration: configuration, dependencies: dependencies, authenticator: authenticator, limiter: limiter, live: live)
    OperationsController(
        health: HealthService(service: "edge", version: configuration.version, checks: dependencies.healthChecks),
        openAPIDocument: ByteBuffer(string: OpenAPIDocument.rendered)
    ).addRoutes(to: router)
    return router
}

/// Games and rooms (Problems' Games service), bots, matches and ratings (Submissions' Matches service).
private func addGameRoutes(
    to router: Router<EdgeRequestContext>, configuration: EdgeConfiguration, dependencies: EdgeDependencies,
    authenticator: BearerAuthenticator, limiter: RateLimiter, live: LiveEventStream
) {
    let games = ProblemsV1.GamesClient(dependencies.problems)
    let matches = SubmissionsV1.MatchesClient(dependencies.submissions)
    let upstream = UpstreamOptions(timeout: configuration.upstreamTimeout)
    let lookup = UserLookup(users: UsersV1.UsersClient(dependencies.users), upstream: upstream)
    // Bot sources and referees are up to 64 KiB; JSON escaping must fit, whatever MAX_BODY_BYTES says.
    let body = JSONBodyReader(maxBytes: max(configuration.maxBodyBytes, 4 * SubmissionsController.maximumSourceBytes))
    let playRule = RateLimiter.Rule(name: "play-user", limit: configuration.rateLimits.submissionsPerUser, window: configuration.rateLimits.window)
    GamesController(games: games, upstream: upstream, body: body, authenticator: authenticator).addRoutes(to: router)
    RoomsController(
        games: games, matches: matches, lookup: lookup, upstream: upstream, body: body, authenticator: authenticator,
        limiter: limiter, playRule: playRule
    ).addRoutes(to: router)
    BotsController(matches: matches, upstream: upstream, authenticator: authenticator).addRoutes(to: router)
    let matchesController = MatchesController(
        matches: matches, lookup: lookup, upstream: upstream, body: body, authenticator: authenticator, limiter: limiter, playRule: playRule
    )
    matchesController.addRoutes(to: router)
    MatchEventsController(matches: matchesController, live: live).addRoutes(to: router)
    UserStatisticsController(lookup: lookup, matches: matches, upstream: upstream, authenticator: authenticator).addRoutes(to: router)
}
