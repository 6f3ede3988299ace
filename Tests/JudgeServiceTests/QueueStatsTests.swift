import AlgoProto
import JudgeCore
import Logging
import NIOConcurrencyHelpers
import RPC
import ServiceKit
import Testing

@testable import JudgeService

/// GetQueueStats against a real Redis: both streams, each with its own workers and counts.
@Suite struct QueueStatsTests {
    @Test func countsEachStreamOnItsOwn() async throws {
        let redis = try Self.redis()
        do {
            try await self.countsEachStreamOnItsOwn(redis)
            await redis.close()
        } catch {
            await redis.close()
            throw error
        }
    }

    private func countsEachStreamOnItsOwn(_ redis: RedisPool) async throws {
        let suffix = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        let group = "judges-" + suffix
        let jobs = JudgeHandler.Queue(stream: "test:jobs:" + suffix, group: group, workers: 4, busy: NIOLockedValueBox(1))
        let matches = JudgeHandler.Queue(stream: "test:matches:" + suffix, group: group, workers: 2, busy: NIOLockedValueBox(2))
        let handler = JudgeHandler(
            engine: NoLanguages(), sandbox: "none", redis: redis, jobs: jobs, matches: matches,
            clock: { WallClock.nowMilliseconds() + 5_000 }
        )
        let context = RPCServerContext(method: "test", metadata: RPCMetadata(), deadline: nil, remoteAddress: nil, logger: Logger(label: "test"))

        // Nothing queued yet, not even a group: zeros, not an error.
        let empty = try await handler.getQueueStats(.init(), context: context)
        #expect(empty.pending == 0 && empty.inFlight == 0 && empty.workers == 4 && empty.busyWorkers == 1)
        #expect(empty.matches?.workers == 2 && empty.matches?.busyWorkers == 2 && empty.matches?.pending == 0)

        // Three jobs, one of them delivered; one match, delivered.
        try await redis.xgroupCreate(stream: jobs.stream, group: group, startID: "$")
        try await redis.xgroupCreate(stream: matches.stream, group: group, startID: "$")
        for n in 0..<3 { _ = try await redis.xadd(jobs.stream, fields: [("job", "\(n)")]) }
        _ = try await redis.xadd(matches.stream, fields: [("job", "m")])
        _ = try await redis.xreadgroup(group: group, consumer: "judge-a", stream: jobs.stream, count: 1)
        _ = try await redis.xreadgroup(group: group, consumer: "judge-b", stream: matches.stream, count: 1)

        let stats = try await handler.getQueueStats(.init(), context: context)
        #expect(stats.pending == 2)
        #expect(stats.inFlight == 1)
        #expect(stats.consumers == 1)
        #expect(stats.oldestPendingAgeMs >= 5_000)  // the clock runs 5 s ahead of the entry ids
        let matchStats = try #require(stats.matches)
        #expect(matchStats.pending == 0)
        #expect(matchStats.inFlight == 1)
        #expect(matchStats.consumers == 1)
        #expect(matchStats.oldestPendingAgeMs >= 5_000)
        _ = try await redis.delete(jobs.stream, matches.stream)
    }

    @Test func redisDownIsUnavailable() async throws {
        var configuration = RedisConfiguration(url: "redis://127.0.0.1:1")
        configuration.commandTimeout = .milliseconds(300)
        let redis = RedisPool(configuration: configuration, logger: Logger(label: "test"))
        let queue = JudgeHandler.Queue(stream: "test:jobs", group: "judges", workers: 1, busy: NIOLockedValueBox(0))
        let handler = JudgeHandler(engine: NoLanguages(), sandbox: "none", redis: redis, jobs: queue, matches: queue, clock: WallClock.nowMilliseconds)
        let context = RPCServerContext(method: "test", metadata: RPCMetadata(), deadline: nil, remoteAddress: nil, logger: Logger(label: "test"))
        await #expect { try await handler.getQueueStats(.init(), context: context) } throws: {
            ($0 as? RPCError)?.code == .unavailable
        }
        await redis.close()
    }

    static func redis() throws -> RedisPool {
        guard let url = Environment.process.string("REDIS_URL") else {
            throw RPCError(.failedPrecondition, "REDIS_URL is not set: run the tests via `make test`")
        }
        return RedisPool(configuration: RedisConfiguration(url: url), logger: Logger(label: "test"))
    }
}

/// A judge that runs nothing: GetQueueStats never judges.
private struct NoLanguages: SubmissionJudging {
    func judge(_ request: JudgeRequest, progress: @Sendable (JudgeProgress) async -> Void) async -> JudgeResult {
        fatalError("not used")
    }
    var languageCapabilities: [JudgeV1.LanguageCapability] { [] }
}
