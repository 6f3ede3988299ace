import Testing

@testable import ServiceKit

extension RedisTests {
    @Test("a connection killed by CLIENT KILL is replaced on next use")
    func reconnectAfterKill() async throws {
        try await withRedis(try TestServers.redis(poolSize: 1)) { killer in
            try await withRedis(try TestServers.redis(poolSize: 1)) { redis in
                let first = try #require(try await redis.command(["CLIENT", "ID"]).integer)
                // TYPE normal, narrowed to this pool's client so parallel users of this Redis survive.
                #expect(try await killer.command(["CLIENT", "KILL", "TYPE", "normal", "ID", String(first)]).integer == 1)
                let second = try #require(try await redis.command(["CLIENT", "ID"]).integer)
                #expect(second != first)

                // Killed while a command is in flight: that command fails, the next one reconnects.
                let blocked = Task { try await redis.command(["BLPOP", TestServers.unique("never"), "1.5"]) }
                try await Task.sleep(for: .milliseconds(200))
                _ = try await killer.command(["CLIENT", "KILL", "TYPE", "normal", "ID", String(second)])
                await #expect { try await blocked.value } throws: { ($0 as? RedisError)?.kind == .connectionFailure }
                #expect(try await redis.command(["CLIENT", "ID"]).integer != second)
            }
        }
    }

    @Test("a command never waits past commandTimeout; the connection is replaced")
    func timeout() async throws {
        try await withRedis(try TestServers.redis(poolSize: 1, commandTimeout: .milliseconds(300))) { redis in
            let before = try await redis.command(["CLIENT", "ID"]).integer
            let (_, elapsed) = await measure {
                await #expect { try await redis.command(["BLPOP", TestServers.unique("empty"), "3"]) } throws: {
                    ($0 as? RedisError)?.kind == .timeout
                }
            }
            #expect(elapsed < .milliseconds(1500))
            #expect(try await redis.ping() == "PONG")
            #expect(try await redis.command(["CLIENT", "ID"]).integer != before)
        }
    }

    @Test("a BLOCK not below the command timeout is refused before sending")
    func blockLimit() async throws {
        try await withRedis(try TestServers.redis(commandTimeout: .seconds(2))) { redis in
            let stream = TestServers.unique("s")
            try await redis.xgroupCreate(stream: stream, group: "g")
            let (_, elapsed) = await measure {
                await #expect { try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, count: 1, block: .seconds(2)) } throws: {
                    ($0 as? RedisError)?.kind == .invalidArgument
                }
            }
            #expect(elapsed < .milliseconds(500), "refused without waiting for the BLOCK")
            let (entries, waited) = try await measure {
                try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, count: 1, block: .milliseconds(300))
            }
            #expect(entries.isEmpty && waited >= .milliseconds(250) && waited < .seconds(2))
            try await redis.delete(stream)
        }
    }

    @Test("an unreachable server fails fast with .connectionFailure")
    func unreachable() async throws {
        try await withRedis(RedisPool(configuration: RedisConfiguration(url: "redis://:pw@127.0.0.1:1"), logger: TestServers.quietLogger)) { redis in
            let (_, elapsed) = await measure {
                for _ in 0..<20 {
                    await #expect { try await redis.ping() } throws: { ($0 as? RedisError)?.kind == .connectionFailure }
                }
            }
            #expect(elapsed < .seconds(2))
        }
    }

    @Test("after close calls fail and subscriptions end")
    func close() async throws {
        let redis = try TestServers.redis()
        let messages = redis.subscribe([TestServers.unique("closing")])
        #expect(try await redis.ping() == "PONG")
        await redis.close()
        var received = 0
        for try await _ in messages { received += 1 }
        #expect(received == 0)
        await #expect { try await redis.ping() } throws: { ($0 as? RedisError)?.kind == .connectionFailure }
    }
}
