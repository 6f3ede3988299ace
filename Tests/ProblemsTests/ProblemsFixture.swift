import AlgoProto
import Foundation
import Logging
import NIOCore
import RPC
import ServiceKit
import Testing

@testable import Problems

/// The Problems service, in this process, against the PostgreSQL that `make test` starts
/// (DATABASE_URL_PROBLEMS), served over real RPC on a free port and called through a real client.
/// Started once per limits and shared by the tests.
struct ProblemsFixture: Sendable {
    static let rpcSecret = "problems-tests-rpc-secret-012345"

    let assembly: ProblemsAssembly
    let server: RPCServer
    let rpc: RPCClient
    var client: ProblemsV1.ProblemsClient { ProblemsV1.ProblemsClient(self.rpc) }
    var games: ProblemsV1.GamesClient { ProblemsV1.GamesClient(self.rpc) }

    /// Production limits.
    static let shared = Task { try await ProblemsFixture.start() }
    /// Small limits, so that the limit tests need small files.
    static let small = Task {
        try await ProblemsFixture.start(environment: [
            "TEST_DATA_MAX_FILE_BYTES": "1000", "TEST_DATA_MAX_VERSION_BYTES": "3000", "TEST_DATA_MAX_TESTS": "3",
        ])
    }

    static func make() async throws -> ProblemsFixture { try await shared.value }

    static func start(environment extra: [String: String] = [:]) async throws -> ProblemsFixture {
        let url = try #require(
            ProcessInfo.processInfo.environment["DATABASE_URL_PROBLEMS"],
            "DATABASE_URL_PROBLEMS is not set: run the tests with `make test`, which starts PostgreSQL and Redis"
        )
        var values = ["DATABASE_URL": url, "MIGRATIONS_DIR": Self.migrationsDirectory]
        values.merge(extra) { $1 }
        let configuration = try ProblemsConfiguration(Environment(values))
        var logger = Logger(label: "problems-tests")
        logger.logLevel = .critical
        let assembly = ProblemsAssembly(configuration: configuration, logger: logger)
        try await assembly.prepare()
        var serverConfiguration = RPCServerConfiguration(host: "127.0.0.1", port: 0, authenticator: PeerAuthenticator(secret: rpcSecret))
        serverConfiguration.maximumFrameLength = configuration.limits.rpcFrameLength
        let server = RPCServer(configuration: serverConfiguration, services: [assembly.handler.serviceDefinition, assembly.games.serviceDefinition], logger: logger)
        let address = try await server.start()
        var clientConfiguration = RPCClientConfiguration(
            targets: [.init(host: "127.0.0.1", port: try #require(address.port))], authenticator: PeerAuthenticator(secret: rpcSecret)
        )
        clientConfiguration.defaultTimeout = .seconds(60)
        clientConfiguration.maximumFrameLength = 16 << 20
        return ProblemsFixture(assembly: assembly, server: server, rpc: RPCClient(configuration: clientConfiguration, logger: logger))
    }

    static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Problems/Migrations").path
    }

    /// A slug no other test (or earlier run) uses.
    static func uniqueSlug(_ prefix: String = "p") -> String {
        "\(prefix)-\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
    }

    /// An author id no other test uses, so that list filters see only this test's problems.
    static func uniqueAuthor() -> Int64 { Int64.random(in: 1_000_000...Int64(Int32.max)) }

    /// A valid problem to start from.
    static func problem(slug: String = uniqueSlug(), authors: [Int64] = [7]) -> ProblemsV1.Problem {
        var problem = ProblemsV1.Problem()
        problem.slug = slug
        problem.title = "Sum of Two"
        problem.statementMarkdown = "Print $a + b$."
        problem.inputFormat = "Two integers."
        problem.outputFormat = "One integer."
        var sample = ProblemsV1.Sample()
        sample.input = "1 2\n"
        sample.output = "3\n"
        problem.samples = [sample]
        problem.tags = ["math"]
        problem.difficulty = .easy
        problem.timeLimitMs = 1000
        problem.memoryLimitMb = 256
        problem.authorIds = authors
        return problem
    }

    @discardableResult
    func create(_ problem: ProblemsV1.Problem) async throws -> ProblemsV1.Problem {
        var request = ProblemsV1.CreateProblemRequest()
        request.problem = problem
        return try #require(try await self.client.createProblem(request).problem)
    }

    func get(slug: String) async throws -> ProblemsV1.Problem {
        var request = ProblemsV1.GetProblemRequest()
        request.key = .slug(slug)
        return try #require(try await self.client.getProblem(request).problem)
    }

    func update(_ problem: ProblemsV1.Problem, expectedRevision: Int64) async throws -> ProblemsV1.Problem {
        var request = ProblemsV1.UpdateProblemRequest()
        request.problem = problem
        request.expectedRevision = expectedRevision
        return try #require(try await self.client.updateProblem(request).problem)
    }

    func put(_ problemID: Int64, tests: [ProblemsV1.TestCase]) async throws -> ProblemsV1.TestDataInfo {
        var request = ProblemsV1.PutTestDataRequest()
        request.problemId = problemID
        var list = ProblemsV1.TestCaseList()
        list.tests = tests
        request.content = .tests(list)
        return try #require(try await self.client.putTestData(request).info)
    }

    func put(_ problemID: Int64, zip: [UInt8]) async throws -> ProblemsV1.TestDataInfo {
        var request = ProblemsV1.PutTestDataRequest()
        request.problemId = problemID
        request.content = .zip(zip)
        return try #require(try await self.client.putTestData(request).info)
    }

    func download(_ sha256: String, offset: Int64 = 0, maxLength: Int32 = 0) async throws -> ProblemsV1.DownloadTestDataResponse {
        var request = ProblemsV1.DownloadTestDataRequest()
        request.sha256 = sha256
        request.offset = offset
        request.maxLength = maxLength
        return try await self.client.downloadTestData(request)
    }
}

func testCase(_ name: String, _ input: String, _ answer: String, group: String = "", points: Int32 = 0) -> ProblemsV1.TestCase {
    var test = ProblemsV1.TestCase()
    test.name = name
    test.input = Array(input.utf8)
    test.answer = Array(answer.utf8)
    test.group = group
    test.points = points
    return test
}

/// The status code and field violations of a failed call.
func failure(_ body: () async throws -> Void) async -> (code: RPCStatusCode?, fields: [String: String]) {
    do {
        try await body()
        return (nil, [:])
    } catch let error as RPCError {
        let details = try? CommonV1.ErrorDetails(decoding: ByteBuffer(bytes: error.details))
        let fields = Dictionary((details?.fieldViolations ?? []).map { ($0.field, $0.description) }, uniquingKeysWith: { a, _ in a })
        return (error.code, fields)
    } catch {
        return (.unknown, ["error": "\(error)"])
    }
}
