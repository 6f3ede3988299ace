import AlgoProto
import RPC
import ServiceKit

/// The in-memory Problems, Submissions and JudgeService behind one real RPC server (with Health),
/// shared by every Edge test; tests keep apart by unique slugs and ids.
struct FakeServices: Sendable {
    let problems: FakeProblems
    let submissions: FakeSubmissions
    /// Held for the life of the process, like the Users server.
    let server: RPCServer

    var address: String { "127.0.0.1:\(self.server.localAddress?.port ?? 0)" }

    static func start() async throws -> FakeServices {
        let problems = FakeProblems()
        let submissions = FakeSubmissions(problems: problems)
        let server = try await Self.startServer(problems: problems, submissions: submissions, port: 0)
        return FakeServices(problems: problems, submissions: submissions, server: server)
    }

    static func startServer(problems: FakeProblems, submissions: FakeSubmissions, port: Int) async throws -> RPCServer {
        let health = HealthService(service: "fakes", version: "test")
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: port, authenticator: PeerAuthenticator(secret: TestServices.rpcSecret))
        // Test data uploads above the default 4 MiB frame reach the fake, which answers RESOURCE_EXHAUSTED.
        configuration.maximumFrameLength = 16 << 20
        let server = RPCServer(
            configuration: configuration,
            services: [health.serviceDefinition, problems.serviceDefinition, submissions.serviceDefinition, FakeJudge().serviceDefinition],
            logger: TestServices.logger
        )
        try await server.start()
        return server
    }
}
