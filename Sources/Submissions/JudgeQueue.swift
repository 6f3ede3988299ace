import AlgoProto
import NIOCore
import ServiceKit

/// A Redis stream judges consume ("judge:jobs" or "judge:matches", group "judges"): each entry's
/// field "job" is an encoded `JudgeV1.JudgeJob` or `JudgeV1.MatchJob` (binary, hence the
/// byte-level commands).
struct JudgeQueue: Sendable {
    let redis: RedisPool
    let stream: String
    let group: String

    /// Acknowledged entries stay in a stream until trimmed; this bounds it. An entry trimmed
    /// before delivery is found missing by the sweeper and enqueued again.
    static let maxLength = 100_000

    /// XADDs every job on one connection, in order. Returns the entry ids of those added; on a
    /// failure the rest is left to the sweeper and the error is returned with what succeeded.
    func enqueue(_ jobs: [QueuedJob]) async -> (added: [(jobID: String, entryID: String)], error: (any Error)?) {
        await self.enqueue(jobs.map { ($0.jobID, JudgeJobQueue.encode($0.message)) })
    }

    /// The same for any payload: (job id, the "job" field's bytes).
    func enqueue(_ messages: [(String, [UInt8])]) async -> (added: [(jobID: String, entryID: String)], error: (any Error)?) {
        guard !messages.isEmpty else { return ([], nil) }
        let stream = self.stream
        do {
            return try await self.redis.withConnection { connection in
                var added: [(jobID: String, entryID: String)] = []
                for (jobID, bytes) in messages {
                    let reply: RedisValue
                    do {
                        reply = try connection.command(
                            [Array("XADD".utf8), Array(stream.utf8), Array("MAXLEN".utf8), [UInt8(ascii: "~")],
                             Array(String(Self.maxLength).utf8), [UInt8(ascii: "*")], Array(JudgeJobQueue.field.utf8), bytes]
                        )
                    } catch {
                        return (added, error)
                    }
                    guard let entryID = reply.string else { return (added, RedisError(.protocolError, "XADD returned no id")) }
                    added.append((jobID, entryID))
                }
                return (added, nil)
            }
        } catch {
            return ([], error)
        }
    }

    /// Creates the consumer group from the stream's start if it is missing (also after Redis
    /// lost its data), so that judges see entries added before they started.
    func ensureGroup() async throws {
        try await self.redis.xgroupCreate(stream: self.stream, group: self.group, startID: "0")
    }

    /// For each entry id, whether the stream still holds it for the group: not delivered yet, or
    /// delivered and not acknowledged (a judge has it, or will claim it from a dead one).
    /// An entry acknowledged, trimmed or lost with Redis' data is not held.
    func holds(_ entryIDs: [String]) async throws -> [Bool] {
        guard !entryIDs.isEmpty else { return [] }
        try await self.ensureGroup()
        let lastDelivered = try await self.lastDeliveredID()
        let commands = entryIDs.map { id -> [String] in
            if let parsed = StreamID(id), parsed > lastDelivered {
                return ["XRANGE", self.stream, id, id]
            }
            return ["XPENDING", self.stream, self.group, id, id, "1"]
        }
        return try await self.redis.pipeline(commands).map { reply in
            if case .error(let message) = reply { throw RedisError(.serverError, message) }
            return !(reply.array ?? []).isEmpty
        }
    }

    /// The group's last-delivered-id from XINFO GROUPS.
    private func lastDeliveredID() async throws -> StreamID {
        let reply = try await self.redis.command(["XINFO", "GROUPS", self.stream])
        for group in reply.array ?? [] {
            let flat = group.array ?? []
            var fields: [String: RedisValue] = [:]
            for index in stride(from: 0, to: flat.count - 1, by: 2) {
                if let name = flat[index].string { fields[name] = flat[index + 1] }
            }
            if fields["name"]?.string == self.group {
                guard let text = fields["last-delivered-id"]?.string, let id = StreamID(text) else {
                    throw RedisError(.protocolError, "XINFO GROUPS has no last-delivered-id")
                }
                return id
            }
        }
        throw RedisError(.protocolError, "consumer group \(self.group) is missing right after it was created")
    }
}

/// A stream entry id, `milliseconds-sequence`, ordered as Redis orders them.
struct StreamID: Comparable, Sendable {
    var milliseconds: UInt64
    var sequence: UInt64

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = UInt64(parts[0]), let sequence = UInt64(parts[1]) else { return nil }
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    static func < (lhs: StreamID, rhs: StreamID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
