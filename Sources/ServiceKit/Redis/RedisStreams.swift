/// An entry of a Redis Stream: its id and its field/value pairs in order. Values are kept as
/// bytes (an encoded protobuf is not text); `fields` and the subscript read them as UTF-8.
public struct RedisStreamEntry: Sendable, Equatable {
    public var id: String
    public var rawFields: [(name: String, value: [UInt8])]

    public init(id: String, fields: [(name: String, value: String)]) {
        self.id = id
        self.rawFields = fields.map { ($0.name, Array($0.value.utf8)) }
    }

    public init(id: String, rawFields: [(name: String, value: [UInt8])]) {
        self.id = id
        self.rawFields = rawFields
    }

    public var fields: [(name: String, value: String)] {
        self.rawFields.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// The value of the first field called `name`.
    public subscript(_ name: String) -> String? {
        self.bytes(name).map { String(decoding: $0, as: UTF8.self) }
    }

    public func bytes(_ name: String) -> [UInt8]? {
        self.rawFields.first { $0.name == name }?.value
    }

    public static func == (lhs: RedisStreamEntry, rhs: RedisStreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.rawFields.elementsEqual(rhs.rawFields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Streams with consumer groups: the job queue (a crashed consumer's entries are claimed again).
extension RedisPool {
    /// `XADD stream * field value …` (with `MAXLEN ~ n` when `maxLength` is given); returns the id.
    @discardableResult
    public func xadd(_ stream: String, fields: [(String, String)], maxLength: Int? = nil) async throws -> String {
        var arguments = ["XADD", stream]
        if let maxLength { arguments += ["MAXLEN", "~", String(maxLength)] }
        arguments.append("*")
        for (name, value) in fields { arguments += [name, value] }
        guard let id = try await self.command(arguments).string else { throw RedisError(.protocolError, "XADD returned no id") }
        return id
    }

    /// `XGROUP CREATE stream group startID MKSTREAM`; a group that already exists is fine.
    /// The default start `0` hands the group every entry already in the stream.
    public func xgroupCreate(stream: String, group: String, startID: String = "0") async throws {
        do {
            _ = try await self.command(["XGROUP", "CREATE", stream, group, startID, "MKSTREAM"])
        } catch let error as RedisError where error.kind == .serverError && error.message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    /// `XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS stream >`: entries never
    /// delivered to the group before, now pending for `consumer` until `xack`.
    ///
    /// `block` must end at least 100 ms before `commandTimeout` (a BLOCK that outlives the socket
    /// timeout kills the connection), otherwise this throws `.invalidArgument` without sending.
    /// nil or zero does not block (Redis' own `BLOCK 0` would wait forever).
    public func xreadgroup(group: String, consumer: String, stream: String, count: Int, block: Duration? = nil) async throws -> [RedisStreamEntry] {
        var arguments = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(max(1, count))]
        if let block, block > .zero {
            guard block + .milliseconds(100) <= self.configuration.commandTimeout else {
                throw RedisError(.invalidArgument, "BLOCK \(block) must end at least 100 ms before the command timeout \(self.configuration.commandTimeout)")
            }
            arguments += ["BLOCK", String(block.storageMilliseconds)]
        }
        arguments += ["STREAMS", stream, ">"]
        let reply = try await self.command(arguments)
        guard case .array(let streams) = reply else { return [] }  // nil: nothing arrived in time
        return try streams.flatMap { stream -> [RedisStreamEntry] in
            guard let pair = stream.array, pair.count == 2 else { throw RedisError(.protocolError, "unexpected XREADGROUP reply") }
            return try Self.entries(pair[1])
        }
    }

    /// `XACK`: marks entries done; returns how many were pending.
    @discardableResult
    public func xack(stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await Self.int(self.command(["XACK", stream, group] + ids))
    }

    /// `XAUTOCLAIM stream group consumer minIdle 0-0 COUNT count`: takes over up to `count`
    /// entries that another consumer received but has not acknowledged for `minIdle`.
    public func xautoclaim(stream: String, group: String, consumer: String, minIdle: Duration, count: Int) async throws -> [RedisStreamEntry] {
        let reply = try await self.command([
            "XAUTOCLAIM", stream, group, consumer, String(minIdle.storageMilliseconds), "0-0", "COUNT", String(max(1, count)),
        ])
        guard let parts = reply.array, parts.count >= 2 else { throw RedisError(.protocolError, "unexpected XAUTOCLAIM reply") }
        return try Self.entries(parts[1])
    }

    /// `[[id, [field, value, …]], …]`; entries deleted meanwhile (nil fields) are skipped.
    static func entries(_ value: RedisValue) throws -> [RedisStreamEntry] {
        guard let items = value.array else { throw RedisError(.protocolError, "expected a list of stream entries") }
        return try items.compactMap { item in
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else {
                throw RedisError(.protocolError, "malformed stream entry")
            }
            guard let flat = pair[1].array else { return nil }
            guard flat.count % 2 == 0 else { throw RedisError(.protocolError, "odd number of stream fields") }
            let fields = stride(from: 0, to: flat.count, by: 2).map { index -> (name: String, value: [UInt8]) in
                guard case .bulk(let bytes) = flat[index + 1] else { return (flat[index].string ?? "", []) }
                return (flat[index].string ?? "", bytes)
            }
            return RedisStreamEntry(id: id, rawFields: fields)
        }
    }
}

extension RedisPool {
    /// `XCLAIM stream group consumer 0 id… JUSTID`: resets the idle time of entries this consumer
    /// is still working on, so that XAUTOCLAIM does not hand a live job to another consumer.
    @discardableResult
    public func xclaimKeepAlive(stream: String, group: String, consumer: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let reply = try await self.command(["XCLAIM", stream, group, consumer, "0"] + ids + ["JUSTID"])
        return reply.array?.count ?? 0
    }

    /// The summary form of `XPENDING stream group`: delivered but unacknowledged entries, the
    /// oldest one's id, and how many consumers hold some.
    public func xpendingSummary(stream: String, group: String) async throws -> (count: Int, oldestID: String?, consumers: Int) {
        let reply = try await self.command(["XPENDING", stream, group])
        guard let parts = reply.array, parts.count == 4 else { throw RedisError(.protocolError, "unexpected XPENDING reply") }
        return (try Self.int(parts[0]), parts[1].string, parts[3].array?.count ?? 0)
    }

    /// The group's lag from `XINFO GROUPS` (Redis 7): entries not yet delivered to any consumer.
    public func xgroupLag(stream: String, group: String) async throws -> Int {
        for info in try await self.command(["XINFO", "GROUPS", stream]).array ?? [] {
            let fields = info.array ?? []
            let pairs = stride(from: 0, to: fields.count - 1, by: 2).map { (fields[$0].string ?? "", fields[$0 + 1]) }
            guard pairs.contains(where: { $0.0 == "name" && $0.1.string == group }) else { continue }
            if let lag = pairs.first(where: { $0.0 == "lag" })?.1, case .integer(let value) = lag { return Int(value) }
        }
        return 0
    }
}
