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
    var matchPrefix = MatchEventChannel.prefix
    let ttl: Duration
    let logger: Logger

    func publish(_ events: [SubmissionsV1.SubmissionEvent]) async {
        await self.publish(events.map { (id: $0.submissionId, bytes: SubmissionEventChannel.encode($0)) }, prefix: self.prefix)
    }

    /// The same for matches, on "match-events:{id}".
    func publishMatches(_ events: [SubmissionsV1.MatchEvent]) async {
        await self.publish(events.map { (id: $0.matchId, bytes: $0.serializedBytes()) }, prefix: self.matchPrefix)
    }

    private func publish(_ encoded: [(id: Int64, bytes: [UInt8])], prefix: String) async {
        guard !encoded.isEmpty else { return }
        let ttl = Array(String(max(1, self.ttl.wholeMilliseconds)).utf8)
        do {
            try await self.redis.withConnection { connection in
                for event in encoded {
                    let channel = Array("\(prefix)\(event.id)".utf8)
                    _ = try connection.command([Array("PUBLISH".utf8), channel, event.bytes])
                    _ = try connection.command([Array("SET".utf8), channel + Array(":last".utf8), event.bytes, Array("PX".utf8), ttl])
                }
            }
        } catch {
            self.logger.warning("publishing events failed", metadata: ["error": "\(error)", "events": "\(encoded.count)"])
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

    static func matchEvent(_ matchID: Int64, _ status: SubmissionsV1.MatchStatus) -> SubmissionsV1.MatchEvent {
        var event = SubmissionsV1.MatchEvent()
        event.matchId = matchID
        event.status = status
        event.atMs = WallClock.nowMilliseconds()
        return event
    }
}
