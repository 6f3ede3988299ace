import AlgoProto
import NIOConcurrencyHelpers
import RPC
import ServiceKit

/// The judge's RPC surface: what it can run and how its queues are doing.
struct JudgeHandler: JudgeV1.JudgeHandler {
    /// A job stream and this instance's workers on it.
    struct Queue: Sendable {
        let stream: String
        let group: String
        let workers: Int
        let busy: NIOLockedValueBox<Int>
    }

    let engine: any SubmissionJudging
    /// What contains the programs ("bubblewrap at /usr/bin/bwrap, cgroup v1").
    let sandbox: String
    let redis: RedisPool
    let jobs: Queue
    let matches: Queue
    let clock: @Sendable () -> Int64

    func getCapabilities(_ request: JudgeV1.GetCapabilitiesRequest, context: RPCServerContext) async throws -> JudgeV1.GetCapabilitiesResponse {
        var response = JudgeV1.GetCapabilitiesResponse()
        response.languages = self.engine.languageCapabilities
        response.sandbox = self.sandbox
        response.workers = Int32(self.jobs.workers)
        return response
    }

    func getQueueStats(_ request: JudgeV1.GetQueueStatsRequest, context: RPCServerContext) async throws -> JudgeV1.GetQueueStatsResponse {
        let jobs = try await self.stats(of: self.jobs)
        var response = JudgeV1.GetQueueStatsResponse()
        response.pending = jobs.pending
        response.inFlight = jobs.inFlight
        response.workers = jobs.workers
        response.busyWorkers = jobs.busyWorkers
        response.consumers = jobs.consumers
        response.oldestPendingAgeMs = jobs.oldestPendingAgeMs
        response.matches = try await self.stats(of: self.matches)
        return response
    }

    private func stats(of queue: Queue) async throws -> JudgeV1.QueueStats {
        var stats = JudgeV1.QueueStats()
        stats.workers = Int32(queue.workers)
        stats.busyWorkers = Int32(queue.busy.withLockedValue { $0 })
        do {
            let pending = try await self.redis.xpendingSummary(stream: queue.stream, group: queue.group)
            stats.inFlight = Int64(pending.count)
            stats.consumers = Int32(pending.consumers)
            if let oldest = pending.oldestID, let millis = Int64(oldest.prefix { $0 != "-" }) {
                stats.oldestPendingAgeMs = max(0, self.clock() - millis)
            }
            stats.pending = Int64(try await self.redis.xgroupLag(stream: queue.stream, group: queue.group))
        } catch let error as RedisError where error.kind == .serverError && error.message.hasPrefix("NOGROUP") {
            return stats  // no job was ever queued
        } catch {
            throw RPCError(.unavailable, "the judge queue \(queue.stream) is unavailable")
        }
        return stats
    }
}
