import AlgoProto
import NIOConcurrencyHelpers
import RPC
import ServiceKit

/// The judge's RPC surface: what it can run and how its queue is doing.
struct JudgeHandler: JudgeV1.JudgeHandler {
    let engine: any SubmissionJudging
    /// What contains the programs ("bubblewrap at /usr/bin/bwrap, cgroup v1").
    let sandbox: String
    let redis: RedisPool
    let workers: Int
    let busy: NIOLockedValueBox<Int>
    let clock: @Sendable () -> Int64

    func getCapabilities(_ request: JudgeV1.GetCapabilitiesRequest, context: RPCServerContext) async throws -> JudgeV1.GetCapabilitiesResponse {
        var response = JudgeV1.GetCapabilitiesResponse()
        response.languages = self.engine.languageCapabilities
        response.sandbox = self.sandbox
        response.workers = Int32(self.workers)
        return response
    }

    func getQueueStats(_ request: JudgeV1.GetQueueStatsRequest, context: RPCServerContext) async throws -> JudgeV1.GetQueueStatsResponse {
        var response = JudgeV1.GetQueueStatsResponse()
        response.workers = Int32(self.workers)
        response.busyWorkers = Int32(self.busy.withLockedValue { $0 })
        do {
            let pending = try await self.redis.xpendingSummary(stream: JudgeJobQueue.stream, group: JudgeJobQueue.group)
            response.inFlight = Int64(pending.count)
            response.consumers = Int32(pending.consumers)
            if let oldest = pending.oldestID, let millis = Int64(oldest.prefix { $0 != "-" }) {
                response.oldestPendingAgeMs = max(0, self.clock() - millis)
            }
            response.pending = Int64(try await self.redis.xgroupLag(stream: JudgeJobQueue.stream, group: JudgeJobQueue.group))
        } catch let error as RedisError where error.kind == .serverError && error.message.hasPrefix("NOGROUP") {
            return response  // no job was ever queued
        } catch {
            throw RPCError(.unavailable, "the judge queue is unavailable")
        }
        return response
    }
}
