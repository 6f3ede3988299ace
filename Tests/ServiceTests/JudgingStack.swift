import AlgoProto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Logging
import RPC
import Testing

/// A private Redis server the test can stop and start (the shared one from `make test` must stay up
/// for every other suite).
final class PrivateRedis {
    let port: Int
    let directory: String
    private var process: Process?

    init() throws {
        self.port = try freePort()
        self.directory = NSTemporaryDirectory() + "judging-redis-\(self.port)"
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        try self.start()
    }

    var url: String { "redis://127.0.0.1:\(self.port)" }

    /// Persistence off: a restart comes back empty, like a Redis that lost its data.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.directory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 {
            if Self.accepts(self.port) { return }
            usleep(20_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    /// SIGKILL: redis-server started from the test process ignores SIGTERM (an inherited signal
    /// mask), and a Redis that dies without saving is exactly the outage under test.
    func stop() {
        if let process = self.process { kill(process.processIdentifier, SIGKILL) }
        self.process?.waitUntilExit()
        self.process = nil
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    deinit { self.stop() }
}

/// Problems, Submissions and one or more JudgeService processes from this build, on the test
/// PostgreSQL and a private Redis, talking over real RPC.
final class JudgingStack {
    let redis: PrivateRedis
    let problemsProcess: ServiceProcess
    let submissionsProcess: ServiceProcess
    let problemsPort: Int
    let submissionsPort: Int
    let rpc: RPCClient
    let submissionsRPC: RPCClient
    let judgeDirectory: String
    let judgeAdminPort: Int
    private(set) var judge: ServiceProcess?

    var problems: ProblemsV1.ProblemsClient { ProblemsV1.ProblemsClient(self.rpc) }
    var submissions: SubmissionsV1.SubmissionsClient { SubmissionsV1.SubmissionsClient(self.submissionsRPC) }
    var games: ProblemsV1.GamesClient { ProblemsV1.GamesClient(self.rpc) }
    var matches: SubmissionsV1.MatchesClient { SubmissionsV1.MatchesClient(self.submissionsRPC) }

    /// `submissionsEnvironment` adds to Submissions' settings. The ranked scheduler is off unless
    /// it sets RANKED_MATCHES_PER_ROOM: every stack shares the test database, and one stack's
    /// scheduler must not play another test's rooms.
    init(submissionsEnvironment: [String: String] = [:]) throws {
        let outer = ProcessInfo.processInfo.environment
        let shared = ["RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "0", "LOG_FORMAT": "json", "LOG_LEVEL": "info"]
        self.redis = try PrivateRedis()
        var problems = shared
        problems["ADMIN_PORT"] = String(try freePort())
        problems["DATABASE_URL"] = try #require(outer["DATABASE_URL_PROBLEMS"], "run via make test")
        self.problemsProcess = try ServiceProcess("Problems", environment: problems)
        self.problemsPort = try self.problemsProcess.listeningPort()

        var submissions = shared
        submissions["ADMIN_PORT"] = String(try freePort())
        submissions["DATABASE_URL"] = try #require(outer["DATABASE_URL_SUBMISSIONS"], "run via make test")
        submissions["REDIS_URL"] = self.redis.url
        submissions["PROBLEMS_ADDR"] = "127.0.0.1:\(self.problemsPort)"
        submissions["SWEEP_INTERVAL_MS"] = "500"
        submissions["SWEEP_STALE_MS"] = "1000"
        submissions["RANKED_MATCHES_PER_ROOM"] = "0"
        submissions.merge(submissionsEnvironment) { _, new in new }
        self.submissionsProcess = try ServiceProcess("Submissions", environment: submissions)
        self.submissionsPort = try self.submissionsProcess.listeningPort()

        self.rpc = Self.client(port: self.problemsPort)
        self.submissionsRPC = Self.client(port: self.submissionsPort)
        self.judgeDirectory = NSTemporaryDirectory() + "judging-work-\(self.problemsPort)"
        self.judgeAdminPort = try freePort()
    }

    static func client(port: Int) -> RPCClient {
        var configuration = RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: port)], authenticator: PeerAuthenticator(secret: ServiceProcess.secret))
        configuration.defaultTimeout = .seconds(30)
        return RPCClient(configuration: configuration, logger: Logger(label: "judging-test"))
    }

    /// Starts a judge; `claimIdleMilliseconds` is how soon another judge takes over its jobs.
    @discardableResult
    func startJudge(claimIdleMilliseconds: Int = 3000) throws -> ServiceProcess {
        let judge = try ServiceProcess("JudgeService", environment: [
            "RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "0", "ADMIN_PORT": String(self.judgeAdminPort), "LOG_FORMAT": "json",
            "REDIS_URL": self.redis.url,
            "PROBLEMS_ADDR": "127.0.0.1:\(self.problemsPort)",
            "SUBMISSIONS_ADDR": "127.0.0.1:\(self.submissionsPort)",
            "JUDGE_WORK_DIR": self.judgeDirectory,
            "JUDGE_WORKERS": "2",
            "JUDGE_CLAIM_IDLE_MS": String(claimIdleMilliseconds),
            // Its own cgroups and uids: suites running side by side each have a judge.
            "JUDGE_SANDBOX_CGROUP_PARENT": "algosports-test/stack-\(self.problemsPort)",
            "JUDGE_SANDBOX_UID_BASE": String(64_000 + (self.problemsPort % 100) * 16),
            "JUDGE_SANDBOX_GID_BASE": String(64_000 + (self.problemsPort % 100) * 16),
        ])
        _ = try judge.listeningPort()
        self.judge = judge
        return judge
    }

    /// SIGKILL: no drain, no acknowledgement; whatever it was judging stays pending in Redis.
    func killJudge() {
        guard let judge = self.judge else { return }
        kill(judge.process.processIdentifier, SIGKILL)
        judge.process.waitUntilExit()
        self.judge = nil
    }

    /// Runs `body` on a fresh stack and always stops it.
    static func with(submissionsEnvironment: [String: String] = [:], _ body: (JudgingStack) async throws -> Void) async throws {
        let stack = try JudgingStack(submissionsEnvironment: submissionsEnvironment)
        do {
            try await body(stack)
        } catch {
            await stack.shutdown()
            throw error
        }
        await stack.shutdown()
    }

    func shutdown() async {
        await self.rpc.close()
        await self.submissionsRPC.close()
        if let judge { _ = judge.terminate() }
        _ = self.submissionsProcess.terminate()
        _ = self.problemsProcess.terminate()
        self.redis.stop()
    }

    /// A public problem with the given tests (JSON test data), under a slug no other test uses.
    func createProblem(
        slug prefix: String, tests: [(String, String)], timeLimitMs: Int32 = 2000,
        checker: ProblemsV1.CheckerKind = .tokens, configure: (inout ProblemsV1.Problem) -> Void = { _ in }
    ) async throws -> ProblemsV1.Problem {
        var problem = ProblemsV1.Problem()
        problem.slug = "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
        problem.title = "Test \(prefix)"
        problem.statementMarkdown = "Read two integers and print their sum."
        problem.timeLimitMs = timeLimitMs
        problem.memoryLimitMb = 256
        problem.visibility = .public
        problem.difficulty = .easy
        problem.authorIds = [1]
        var kind = ProblemsV1.Checker()
        kind.kind = checker
        problem.checker = kind
        configure(&problem)
        var create = ProblemsV1.CreateProblemRequest()
        create.problem = problem
        let created = try #require(try await self.problems.createProblem(create).problem)

        var put = ProblemsV1.PutTestDataRequest()
        put.problemId = created.id
        var list = ProblemsV1.TestCaseList()
        list.tests = tests.enumerated().map { index, test in
            var testCase = ProblemsV1.TestCase()
            testCase.name = String(index + 1)
            testCase.input = Array(test.0.utf8)
            testCase.answer = Array(test.1.utf8)
            return testCase
        }
        put.content = .tests(list)
        _ = try await self.problems.putTestData(put)
        return created
    }

    func submit(_ problem: ProblemsV1.Problem, language: String, source: String, user: Int64 = 7) async throws -> Int64 {
        var request = SubmissionsV1.CreateSubmissionRequest()
        request.userId = user
        request.problemId = problem.id
        request.language = language
        request.sourceCode = source
        return try #require(try await self.submissions.createSubmission(request).submission).id
    }

    func submission(_ id: Int64) async throws -> SubmissionsV1.Submission {
        var request = SubmissionsV1.GetSubmissionRequest()
        request.submissionId = id
        return try #require(try await self.submissions.getSubmission(request).submission)
    }

    /// Polls until the submission is DONE (or `timeout` passes, which fails the test).
    func waitUntilDone(_ id: Int64, timeout: Duration = .seconds(120)) async throws -> SubmissionsV1.Submission {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let submission = try await self.submission(id)
            if submission.status == .done { return submission }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("submission \(id) was not judged within \(timeout)")
        return try await self.submission(id)
    }

    func waitUntil(_ id: Int64, status: SubmissionsV1.SubmissionStatus, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await self.submission(id).status == status { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("submission \(id) never reached \(status)")
    }

    func judgeMetrics() async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(self.judgeAdminPort)/metrics")!)
        return String(decoding: data, as: UTF8.self)
    }
}
