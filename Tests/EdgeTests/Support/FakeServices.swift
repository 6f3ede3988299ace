import AlgoProto
import RPC
import ServiceKit

/// The in-memory Problems (with Games), Submissions (with Matches) and JudgeService behind one real
/// RPC server (with Health), shared by every Edge test; tests keep apart by unique slugs and ids.
struct FakeServices: Sendable {
    let problems: FakeProblems
    let submissions: FakeSubmissions
    let games: FakeGames
    let matches: FakeMatches
    /// Held for the life of the process, like the Users server.
    let server: RPCServer

    var address: String { "127.0.0.1:\(self.server.localAddress?.port ?? 0)" }

    static func start() async throws -> FakeServices {
        let problems = FakeProblems()
        let submissions = FakeSubmissions(problems: problems)
        let games = FakeGames()
        let matches = FakeMatches(games: games)
        let server = try await Self.startServer(problems: problems, submissions: submissions, games: games, matches: matches, port: 0)
        return FakeServices(problems: problems, submissions: submissions, games: games, matches: matches, server: server)
    }

    static func startServer(problems: FakeProblems, submissions: FakeSubmissions, games: FakeGames, matches: FakeMatches, port: Int) async throws -> RPCServer {
        let health = HealthService(service: "fakes", version: "test")
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: port, authenticator: PeerAuthenticator(secret: TestServices.rpcSecret))
        // Test data uploads above the default 4 MiB frame reach the fake, which answers RESOURCE_EXHAUSTED.
        configuration.maximumFrameLength = 16 << 20
        let server = RPCServer(
            configuration: configuration,
            services: [
                health.serviceDefinition, problems.serviceDefinition, games.serviceDefinition,
                submissions.serviceDefinition, matches.serviceDefinition, FakeJudge().serviceDefinition,
            ],
            logger: TestServices.logger
        )
        try await server.start()
        return server
    }
}
