import AlgoProto
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

/// The consumers of one judge stream (submissions or matches). Each worker first takes over jobs
/// that a dead judge left pending for `claimIdle`, then waits for new ones. On SIGTERM a worker
/// finishes its job and stops; an unacknowledged job is claimed again by another judge.
struct JudgeWorkers: Service {
    let redis: RedisPool
    let stream: String
    /// Decodes and runs one entry; throws when the entry cannot be decoded.
    let run: @Sendable (RedisStreamEntry) async throws -> JobRunner.Outcome
    let count: Int
    let consumer: String
    let claimIdle: Duration
    let busy: NIOLockedValueBox<Int>
    let logger: Logger

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for index in 0..<self.count {
                group.addTask { await self.work(consumer: "\(self.consumer)-\(index)") }
            }
        }
    }

    private func work(consumer: String) async {
        var groupReady = false
        var backoff = Duration.milliseconds(100)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if !groupReady {
                    try await self.redis.xgroupCreate(stream: self.stream, group: JudgeJobQueue.group)
                    groupReady = true
                }
                guard let entry = try await self.next(consumer: consumer) else { continue }
                await self.handle(entry, consumer: consumer)
                backoff = .milliseconds(100)
            } catch {
                // Redis is down or was emptied (NOGROUP): wait and set the group up again.
                self.logger.warning("judge queue unavailable", metadata: ["error": "\(error)"])
                groupReady = false
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    private func next(consumer: String) async throws -> RedisStreamEntry? {
        let abandoned = try await self.redis.xautoclaim(
            stream: self.stream, group: JudgeJobQueue.group, consumer: consumer, minIdle: self.claimIdle, count: 1
        )
        if let entry = abandoned.first {
            self.logger.notice("claimed a job a judge left unfinished", metadata: ["entry": "\(entry.id)"])
            return entry
        }
        return try await self.redis.xreadgroup(
            group: JudgeJobQueue.group, consumer: consumer, stream: self.stream, count: 1, block: .milliseconds(1500)
        ).first
    }

    private func handle(_ entry: RedisStreamEntry, consumer: String) async {
        self.busy.withLockedValue { $0 += 1 }
        defer { self.busy.withLockedValue { $0 -= 1 } }
        let outcome = await withTaskGroup(of: JobRunner.Outcome?.self) { group in
            group.addTask {
                do {
                    return try await self.run(entry)
                } catch {
                    // Nobody can ever run it; keeping it would only make every judge retry it forever.
                    self.logger.error("dropping a malformed queue entry", metadata: ["stream": "\(self.stream)", "error": "\(error)"])
                    return .stale
                }
            }
            group.addTask { await self.keepAlive(entry.id, consumer: consumer) }
            let outcome = await group.next()!
            group.cancelAll()
            return outcome
        }
        if outcome != .retryLater {
            do {
                try await self.redis.xack(stream: self.stream, group: JudgeJobQueue.group, ids: [entry.id])
            } catch {
                // Harmless: the job is claimed again later and its result is already stored.
                self.logger.warning("cannot acknowledge a judged job", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Refreshes the entry's idle time while the job runs, so that a slow job is not mistaken for
    /// an abandoned one. Returns nil when cancelled (the job finished).
    private func keepAlive(_ id: String, consumer: String) async -> JobRunner.Outcome? {
        while !Task.isCancelled {
            try? await Task.sleep(for: self.claimIdle / 3)
            if Task.isCancelled { break }
            _ = try? await self.redis.xclaimKeepAlive(stream: self.stream, group: JudgeJobQueue.group, consumer: consumer, ids: [id])
        }
        return nil
    }
}
