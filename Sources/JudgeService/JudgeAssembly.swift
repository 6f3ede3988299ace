#if canImport(Glibc)
import Glibc
#endif
import AlgoProto
import JudgeCore
import Logging
import NIOConcurrencyHelpers
import RPC
import ServiceKit

/// Everything the judge is made of, built from its configuration.
struct JudgeAssembly: Sendable {
    let redis: RedisPool
    let problemsRPC: RPCClient
    let submissionsRPC: RPCClient
    let sandbox: BubblewrapSandbox
    let engine: JudgeEngine
    let handler: JudgeHandler
    let workers: JudgeWorkers
    let matchWorkers: JudgeWorkers

    init(configuration: JudgeConfiguration, settings: ServiceSettings, logger: Logger) async throws {
        let work = configuration.workDirectory
        self.redis = RedisPool(configuration: configuration.redis, logger: logger)
        self.problemsRPC = RPCClient(
            configuration: try RPCClientConfiguration(addresses: configuration.problemsAddresses, authenticator: settings.authenticator),
            logger: logger
        )
        self.submissionsRPC = RPCClient(
            configuration: try RPCClientConfiguration(addresses: configuration.submissionsAddresses, authenticator: settings.authenticator),
            logger: logger
        )
        self.sandbox = try BubblewrapSandbox.start(configuration.sandbox)
        let languages = try configuration.languagesFile.map { try LanguageFile.load(path: $0) } ?? DefaultLanguages.all
        self.engine = try await JudgeEngine(
            configuration: JudgeEngineConfiguration(
                cacheDirectory: work + "/compiled", compileCacheBytes: configuration.compileCacheBytes,
                workDirectory: work + "/runs", languages: languages
            ),
            sandbox: self.sandbox,
            logger: logger
        )
        let cache = try TestDataCache(
            directory: work + "/testdata", capacityBytes: configuration.testDataCacheBytes,
            source: ProblemsTestDataSource(problems: ProblemsV1.ProblemsClient(self.problemsRPC))
        )
        let busy = NIOLockedValueBox(0)
        let busyMatches = NIOLockedValueBox(0)
        let runner = JobRunner(
            problems: ProblemsV1.ProblemsClient(self.problemsRPC),
            submissions: SubmissionsV1.SubmissionsClient(self.submissionsRPC),
            cache: cache, engine: self.engine, workerName: configuration.consumerName,
            progressInterval: configuration.progressInterval, logger: logger
        )
        self.handler = JudgeHandler(
            engine: self.engine, sandbox: "bubblewrap at \(configuration.sandbox.bubblewrapPath)", redis: self.redis,
            jobs: .init(stream: JudgeJobQueue.stream, group: JudgeJobQueue.group, workers: configuration.workers, busy: busy),
            matches: .init(stream: MatchJobQueue.stream, group: MatchJobQueue.group, workers: configuration.matchWorkers, busy: busyMatches),
            clock: WallClock.nowMilliseconds
        )
        self.workers = JudgeWorkers(
            redis: self.redis, stream: JudgeJobQueue.stream, run: { await runner.run(try JudgeJobQueue.decode($0)) },
            count: configuration.workers, consumer: configuration.consumerName, claimIdle: configuration.claimIdle, busy: busy, logger: logger
        )
        let matchRunner = MatchRunner(
            games: ProblemsV1.GamesClient(self.problemsRPC), matches: SubmissionsV1.MatchesClient(self.submissionsRPC),
            engine: self.engine, workerName: configuration.consumerName, logger: logger
        )
        self.matchWorkers = JudgeWorkers(
            redis: self.redis, stream: MatchJobQueue.stream, run: { await matchRunner.run(try MatchJobQueue.decode($0)) },
            count: configuration.matchWorkers, consumer: configuration.consumerName + "-match", claimIdle: configuration.claimIdle,
            busy: busyMatches, logger: logger
        )
    }

    func shutdown() async {
        await self.sandbox.shutdown()
    }
}

extension JudgeConfiguration {
    /// hostname-pid: unique per process, readable in XINFO CONSUMERS.
    static func defaultConsumerName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        return "\(String(cString: name))-\(getpid())"
    }
}
