import AlgoProto
import Logging
import NIOCore
import ServiceKit

/// Publishes status changes for live updates: PUBLISH on "submission-events:{id}" and the same
/// bytes (an encoded `SubmissionsV1.SubmissionEvent`) kept in "submission-events:{id}:last", so
/// that a subscriber arriving late reads the current state first.
///
/// Best effort: Postgres holds the truth, so a failure is logged and never fails the call.
struct EventPublisher: Sendable {
    let redis: RedisPool
    let prefix: String
    let ttl: Duration
    let logger: Logger

    func publish(_ events: [SubmissionsV1.SubmissionEvent]) async {
        guard !events.isEmpty else { return }
        let prefix = self.prefix
        let ttl = Array(String(max(1, self.ttl.wholeMilliseconds)).utf8)
        let encoded = events.map { (id: $0.submissionId, bytes: SubmissionEventChannel.encode($0)) }
        do {
            try await self.redis.withConnection { connection in
                for event in encoded {
                    let channel = Array("\(prefix)\(event.id)".utf8)
                    _ = try connection.command([Array("PUBLISH".utf8), channel, event.bytes])
                    _ = try connection.command([Array("SET".utf8), channel + Array(":last".utf8), event.bytes, Array("PX".utf8), ttl])
                }
            }
        } catch {
            self.logger.warning("publishing submission events failed", metadata: ["error": "\(error)", "events": "\(events.count)"])
        }
    }

    /// QUEUED with no progress: what every new job starts from.
    static func queued(_ submissionID: Int64) -> SubmissionsV1.SubmissionEvent {
        var event = SubmissionsV1.SubmissionEvent()
        event.submissionId = submissionID
        event.status = .queued
        event.atMs = WallClock.nowMilliseconds()
        return event
    }
}
