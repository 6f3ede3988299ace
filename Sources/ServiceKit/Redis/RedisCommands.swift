/// Typed helpers for the commands the services use.
extension RedisPool {
    /// `GET`: the value as UTF-8 text, nil if the key does not exist.
    public func get(_ key: String) async throws -> String? {
        try await self.command(["GET", key]).string
    }

    /// `SET`, with `PX` when `expiresIn` is given.
    public func set(_ key: String, _ value: String, expiresIn: Duration? = nil) async throws {
        var arguments = ["SET", key, value]
        if let expiresIn { arguments += ["PX", String(max(1, expiresIn.storageMilliseconds))] }
        _ = try await self.command(arguments)
    }

    /// `DEL`: the number of keys that existed.
    @discardableResult
    public func delete(_ keys: String...) async throws -> Int {
        try await Self.int(self.command(["DEL"] + keys))
    }

    /// One step of a fixed-window rate limit, in one round trip: increments `key` and, when the
    /// key is new (or somehow lost its expiry), makes it expire after `window`.
    /// Returns the count in the current window and the time until the window resets.
    public func incrementWithExpiry(_ key: String, window: Duration) async throws -> (count: Int, ttl: Duration) {
        let script = """
            local count = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """
        let reply = try await self.command(["EVAL", script, "1", key, String(max(1, window.storageMilliseconds))])
        guard let values = reply.array, values.count == 2, let count = values[0].integer, let ttl = values[1].integer else {
            throw RedisError(.protocolError, "unexpected reply to the rate-limit script")
        }
        return (Int(count), .milliseconds(ttl))
    }

    /// `ZADD`: the number of members added (0 when only the score changed).
    @discardableResult
    public func zadd(_ key: String, score: Double, member: String) async throws -> Int {
        try await Self.int(self.command(["ZADD", key, Self.scoreText(score), member]))
    }

    /// `ZRANGE … WITHSCORES` (lowest first) or, with `reverse`, highest first; `start`/`stop` are
    /// inclusive ranks, negative counting from the end.
    public func zrangeWithScores(_ key: String, start: Int, stop: Int, reverse: Bool = false) async throws -> [(member: String, score: Double)] {
        let reply = try await self.command([reverse ? "ZREVRANGE" : "ZRANGE", key, String(start), String(stop), "WITHSCORES"])
        guard let values = reply.array, values.count % 2 == 0 else {
            throw RedisError(.protocolError, "unexpected ZRANGE reply")
        }
        return try stride(from: 0, to: values.count, by: 2).map { index in
            guard let member = values[index].string, let scoreText = values[index + 1].string, let score = Self.score(scoreText) else {
                throw RedisError(.protocolError, "unexpected ZRANGE element")
            }
            return (member, score)
        }
    }

    /// `PUBLISH`: the number of subscribers that received the message.
    @discardableResult
    public func publish(channel: String, message: String) async throws -> Int {
        try await Self.int(self.command(["PUBLISH", channel, message]))
    }

    /// `PUBLISH` of binary data (an encoded protobuf).
    @discardableResult
    public func publish(channel: String, bytes: [UInt8]) async throws -> Int {
        try await Self.int(self.command([Array("PUBLISH".utf8), Array(channel.utf8), bytes]))
    }

    /// `PING`: a round trip for health checks; returns "PONG".
    public func ping() async throws -> String {
        try await self.command(["PING"]).string ?? ""
    }

    static func int(_ value: RedisValue) throws -> Int {
        guard let integer = value.integer else { throw RedisError(.protocolError, "expected an integer reply") }
        return Int(integer)
    }

    static func scoreText(_ score: Double) -> String {
        if score.isInfinite { return score < 0 ? "-inf" : "+inf" }
        return String(score)
    }

    static func score(_ text: String) -> Double? {
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(text)
        }
    }
}
