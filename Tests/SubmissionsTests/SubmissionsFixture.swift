import AlgoProto
import Foundation
import Logging
import NIOCore
import RPC
import ServiceKit
import Testing

@testable import Submissions

/// The Submissions service over real RPC, against the PostgreSQL and Redis that `make test`
/// starts, with a Problems stand-in on its own RPC server. Every fixture has its own problem ids,
/// stream and event prefix, so that it meets no other fixture's data.
struct SubmissionsFixture {
    static let secret = PeerAuthenticator(secret: "submissions-tests-rpc-secret-0123")

    let catalog: StandInProblems.Catalog
    let assembly: SubmissionsAssembly
    let configuration: SubmissionsConfiguration
    let client: SubmissionsV1.SubmissionsClient
    /// The test's own connection to Redis, for reading the stream and events.
    let redis: RedisPool
    /// False for a second instance sharing another fixture's stream.
    let ownsStream: Bool
    private let servers: [RPCServer]
    private let clients: [RPCClient]

    var handler: SubmissionsHandler { self.assembly.handler }
    var sweeper: Sweeper { self.assembly.sweeper }
    var stream: String { self.configuration.jobStream }
    var group: String { self.configuration.jobGroup }

    static var logger: Logger {
        var logger = Logger(label: "submissions-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["SUBMISSIONS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    static func environment(_ name: String) throws -> String {
        try #require(
            ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 },
            "\(name) is not set: run the tests with `make test`, which starts PostgreSQL and Redis"
        )
    }

    static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Submissions/Migrations").path
    }

    /// Runs `body` with a fresh fixture and stops it afterwards, also when `body` throws.
    /// - Parameters:
    ///   - redisURL: the service's Redis (a dead address simulates Redis being down); the
    ///     test's own connection always uses REDIS_URL.
    ///   - shareWith: another fixture whose problems, stream and events this one uses (a second
    ///     instance of the service).
    static func with<T>(
        environment extra: [String: String] = [:],
        redisURL: String? = nil,
        shareWith other: SubmissionsFixture? = nil,
        configure: (inout SubmissionsConfiguration) -> Void = { _ in },
        _ body: (SubmissionsFixture) async throws -> T
    ) async throws -> T {
        let fixture = try await Self.start(environment: extra, redisURL: redisURL, shareWith: other, configure: configure)
        do {
            let value = try await body(fixture)
            await fixture.stop()
            return value
        } catch {
            await fixture.stop()
            throw error
        }
    }

    private static func start(
        environment extra: [String: String], redisURL: String?, shareWith other: SubmissionsFixture?,
        configure: (inout SubmissionsConfiguration) -> Void
    ) async throws -> SubmissionsFixture {
        let catalog = other?.catalog ?? StandInProblems.Catalog(base: Int64.random(in: 1_000...1_000_000_000) * 1_000)
        let logger = Self.logger
        let problemsServer = RPCServer(
            configuration: RPCServerConfiguration(host: "127.0.0.1", port: 0, authenticator: Self.secret),
            services: [StandInProblems(problems: catalog.problems).serviceDefinition],
            logger: logger
        )
        let problemsPort = try #require(try await problemsServer.start().port)

        var values = [
            "DATABASE_URL": try Self.environment("DATABASE_URL_SUBMISSIONS"),
            "REDIS_URL": try redisURL ?? Self.environment("REDIS_URL"),
            "PROBLEMS_ADDR": "127.0.0.1:\(problemsPort)",
            "MIGRATIONS_DIR": Self.migrationsDirectory,
        ]
        values.merge(extra) { $1 }
        var configuration = try SubmissionsConfiguration(Environment(values))
        let unique = other.map { String($0.stream.dropFirst("judge:jobs:test-".count)) } ?? String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        configuration.jobStream = "judge:jobs:test-\(unique)"
        configuration.eventPrefix = "submission-events:test-\(unique):"
        // Tests decide when the sweeper runs (sweepOnce) and want every silent job considered.
        configuration.sweeper.staleAfter = .zero
        configuration.sweeper.enqueueRetryAfter = .zero
        configuration.redis.connectTimeout = .milliseconds(500)
        configure(&configuration)

        let problems = RPCClient(
            configuration: try RPCClientConfiguration(addresses: "127.0.0.1:\(problemsPort)", authenticator: Self.secret), logger: logger
        )
        let assembly = SubmissionsAssembly(configuration: configuration, problems: problems, logger: logger)
        try await assembly.prepare()
        let server = RPCServer(
            configuration: RPCServerConfiguration(host: "127.0.0.1", port: 0, authenticator: Self.secret),
            services: [assembly.handler.serviceDefinition],
            logger: logger
        )
        let port = try #require(try await server.start().port)
        let rpc = RPCClient(
            configuration: try RPCClientConfiguration(addresses: "127.0.0.1:\(port)", authenticator: Self.secret), logger: logger
        )
        let redis = RedisPool(configuration: RedisConfiguration(url: try Self.environment("REDIS_URL")), logger: logger)
        // Judges create the group from the start of the stream; so does this test's "judge".
        try await redis.xgroupCreate(stream: configuration.jobStream, group: configuration.jobGroup, startID: "0")
        return SubmissionsFixture(
            catalog: catalog, assembly: assembly, configuration: configuration, client: SubmissionsV1.SubmissionsClient(rpc),
            redis: redis, ownsStream: other == nil, servers: [server, problemsServer], clients: [rpc, problems]
        )
    }

    func stop() async {
        for client in self.clients { await client.close() }
        for server in self.servers { await server.close() }
        await self.assembly.pool.close()
        await self.assembly.redis.close()
        if self.ownsStream { _ = try? await self.redis.delete(self.stream) }
        await self.redis.close()
    }

    // MARK: Calls

    static func uniqueUser() -> Int64 { Int64.random(in: 1...Int64(Int32.max)) }

    @discardableResult
    func create(
        user: Int64, problem: Int64? = nil, language: String = "cpp", source: String = "int main() { return 0; }\n",
        staff: Bool = false
    ) async throws -> SubmissionsV1.Submission {
        var request = SubmissionsV1.CreateSubmissionRequest()
        request.userId = user
        request.problemId = problem ?? self.catalog.aPlusB
        request.language = language
        request.sourceCode = source
        request.callerIsStaff = staff
        return try #require(try await self.client.createSubmission(request).submission)
    }

    func get(_ id: Int64) async throws -> SubmissionsV1.Submission {
        var request = SubmissionsV1.GetSubmissionRequest()
        request.submissionId = id
        return try #require(try await self.client.getSubmission(request).submission)
    }

    func progress(_ job: JudgeV1.JudgeJob, _ status: SubmissionsV1.SubmissionStatus, test: Int32 = 0, of total: Int32 = 0) async throws -> Bool {
        var request = SubmissionsV1.ReportProgressRequest()
        request.submissionId = job.submissionId
        request.jobId = job.jobId
        request.status = status
        request.currentTest = test
        request.totalTests = total
        return try await self.client.reportProgress(request).staleJob
    }

    /// Completes `job` with `verdict`; returns stale_job.
    func complete(
        _ job: JudgeV1.JudgeJob, _ verdict: SubmissionsV1.Verdict, score: Double = 0,
        change: (inout SubmissionsV1.CompleteJudgingRequest) -> Void = { _ in }
    ) async throws -> Bool {
        var request = SubmissionsV1.CompleteJudgingRequest()
        request.submissionId = job.submissionId
        request.jobId = job.jobId
        request.verdict = verdict
        request.score = score
        request.maxScore = 100
        request.testDataVersion = job.testDataVersion
        request.judgeWorker = "test-worker"
        change(&request)
        return try await self.client.completeJudging(request).staleJob
    }

    func rejudge(_ target: SubmissionsV1.RejudgeRequest.Target, role: String = "staff") async throws -> Int64 {
        var request = SubmissionsV1.RejudgeRequest()
        request.target = target
        let metadata = RPCMetadata(requestID: "test", userID: "1", userRole: role)
        return try await self.client.rejudge(request, options: RPCCallOptions(metadata: metadata)).queuedCount
    }

    // MARK: The stream, as a judge sees it

    /// Takes every entry not yet delivered to the group, as a judge would (XREADGROUP), and
    /// decodes its "job" field.
    func takeJobs() async throws -> [JudgeV1.JudgeJob] {
        let reply = try await self.redis.command(["XREADGROUP", "GROUP", self.group, "test-judge", "COUNT", "1000", "STREAMS", self.stream, ">"])
        var jobs: [JudgeV1.JudgeJob] = []
        for stream in reply.array ?? [] {
            for entry in stream.array?[1].array ?? [] {
                let fields = entry.array?[1].array ?? []
                let index = try #require(fields.firstIndex { $0.string == "job" }, "an entry without a job field")
                let bytes = try #require(fields[index + 1].bytes)
                jobs.append(try JudgeV1.JudgeJob(decoding: ByteBuffer(bytes: bytes)))
            }
        }
        return jobs
    }

    /// The one job of `submission` among the entries not yet taken.
    func takeJob(of submission: Int64) async throws -> JudgeV1.JudgeJob {
        let jobs = try await self.takeJobs().filter { $0.submissionId == submission }
        #expect(jobs.count == 1, "expected exactly one job of submission \(submission), got \(jobs.count)")
        return try #require(jobs.last)
    }
}

/// The error a call threw, for assertions on its code and details.
func rpcError(_ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? RPCError
    }
}

/// The field violations carried by an INVALID_ARGUMENT error.
func violations(_ error: RPCError?) -> [String: String] {
    guard let error, let details = try? CommonV1.ErrorDetails(decoding: ByteBuffer(bytes: error.details)) else { return [:] }
    return Dictionary(details.fieldViolations.map { ($0.field, $0.description) }, uniquingKeysWith: { a, _ in a })
}
