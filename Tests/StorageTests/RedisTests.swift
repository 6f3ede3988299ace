import Testing

@testable import ServiceKit

/// Redis tests run one at a time: some kill or time out connections on purpose.
@Suite("Redis", .serialized)
struct RedisTests {
    @Test("GET/SET with expiry, DEL, PING")
    func keys() async throws {
        let key = TestServers.unique("k")
        try await withRedis(try TestServers.redis()) { redis in
            #expect(try await redis.ping() == "PONG")
            #expect(try await redis.get(key) == nil)
            try await redis.set(key, "héllo 🌍")
            #expect(try await redis.get(key) == "héllo 🌍")
            #expect(try await redis.command(["PTTL", key]).integer == -1)
            try await redis.set(key, "v", expiresIn: .seconds(30))
            let ttl = try #require(try await redis.command(["PTTL", key]).integer)
            #expect(ttl > 29_000 && ttl <= 30_000)
            #expect(try await redis.delete(key, "\(key)-absent") == 1)
            #expect(try await redis.get(key) == nil)
        }
    }

    @Test("incrementWithExpiry counts within a window that starts at the first hit")
    func rateLimit() async throws {
        let key = TestServers.unique("rl")
        try await withRedis(try TestServers.redis()) { redis in
            let first = try await redis.incrementWithExpiry(key, window: .seconds(10))
            #expect(first.count == 1 && first.ttl <= .seconds(10) && first.ttl > .seconds(9))
            try await Task.sleep(for: .milliseconds(50))
            let second = try await redis.incrementWithExpiry(key, window: .seconds(10))
            #expect(second.count == 2 && second.ttl < first.ttl)
            // A key that lost its expiry gets one again instead of counting forever.
            _ = try await redis.command(["PERSIST", key])
            let third = try await redis.incrementWithExpiry(key, window: .seconds(10))
            #expect(third.count == 3 && third.ttl > .seconds(9))
            try await redis.delete(key)
        }
    }

    @Test("sorted sets: ZADD and ranges with scores, both directions")
    func sortedSets() async throws {
        let key = TestServers.unique("z")
        try await withRedis(try TestServers.redis()) { redis in
            #expect(try await redis.zadd(key, score: 1500.5, member: "ann") == 1)
            try await redis.zadd(key, score: 1720, member: "bob")
            try await redis.zadd(key, score: -3, member: "cid")
            #expect(try await redis.zadd(key, score: 1800, member: "ann") == 0)
            let ascending = try await redis.zrangeWithScores(key, start: 0, stop: -1)
            #expect(ascending.map(\.member) == ["cid", "bob", "ann"] && ascending.map(\.score) == [-3, 1720, 1800])
            let top = try await redis.zrangeWithScores(key, start: 0, stop: 1, reverse: true)
            #expect(top.map(\.member) == ["ann", "bob"])
            try await redis.delete(key)
        }
    }

    @Test("a server error is a thrown .serverError, the connection stays, echoed arguments are cut")
    func serverError() async throws {
        let key = TestServers.unique("wrongtype")
        try await withRedis(try TestServers.redis(poolSize: 1)) { redis in
            try await redis.set(key, "a string")
            let id = try await redis.command(["CLIENT", "ID"]).integer
            await #expect { try await redis.command(["LPUSH", key, "x"]) } throws: { error in
                let error = try #require(error as? RedisError)
                return error.kind == .serverError && error.message.hasPrefix("WRONGTYPE")
            }
            await #expect { try await redis.command(["NOSUCHCOMMAND", "s3cret-argument"]) } throws: { error in
                let error = try #require(error as? RedisError)
                return error.kind == .serverError && !error.description.contains("s3cret-argument")
            }
            #expect(try await redis.command(["CLIENT", "ID"]).integer == id)
            try await redis.delete(key)
        }
    }

    @Test("a pipeline answers in order, with error replies in place")
    func pipeline() async throws {
        let key = TestServers.unique("p")
        try await withRedis(try TestServers.redis()) { redis in
            let replies = try await redis.pipeline([["SET", key, "1"], ["INCR", key], ["LPUSH", key, "x"], ["GET", key], ["DEL", key]])
            #expect(replies.count == 5)
            #expect(replies[0] == .status("OK"))
            #expect(replies[1] == .integer(2))
            guard case .error(let message) = replies[2] else { Issue.record("expected an error, got \(replies[2])"); return }
            #expect(message.hasPrefix("WRONGTYPE"))
            #expect(replies[3].string == "2" && replies[3].integer == 2)
            #expect(replies[4] == .integer(1))
        }
    }

    @Test("binary-safe keys and values")
    func binary() async throws {
        let key = Array(TestServers.unique("bin").utf8) + [0, 0xff, 0x0d, 0x0a]
        let value = (0...255).map { UInt8($0) } + [0, 0, 0x0d, 0x0a]
        try await withRedis(try TestServers.redis()) { redis in
            let stored = try await redis.command([Array("SET".utf8), key, value])
            #expect(stored == .status("OK"))
            #expect(try await redis.command([Array("GET".utf8), key]).bytes == value)
            #expect(try await redis.command([Array("STRLEN".utf8), key]).integer == Int64(value.count))
            #expect(try await redis.command([Array("DEL".utf8), key]).integer == 1)
        }
    }
}
