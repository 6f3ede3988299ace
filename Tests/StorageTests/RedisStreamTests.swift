import Testing

@testable import ServiceKit

extension RedisTests {
    @Test("consumer groups: an entry read by A and never acknowledged is claimed by B")
    func claimFlow() async throws {
        let stream = TestServers.unique("jobs")
        try await withRedis(try TestServers.redis()) { redis in
            try await redis.xgroupCreate(stream: stream, group: "judges")
            try await redis.xgroupCreate(stream: stream, group: "judges")  // BUSYGROUP is fine
            let id = try await redis.xadd(stream, fields: [("submission", "42"), ("language", "swift")])

            let byA = try await redis.xreadgroup(group: "judges", consumer: "a", stream: stream, count: 10, block: .milliseconds(500))
            #expect(byA == [RedisStreamEntry(id: id, fields: [("submission", "42"), ("language", "swift")])])
            #expect(byA.first?["language"] == "swift")
            // Nothing new for anyone else; A's entry is only pending.
            #expect(try await redis.xreadgroup(group: "judges", consumer: "b", stream: stream, count: 10).isEmpty)

            // Too early: A might still be working on it.
            #expect(try await redis.xautoclaim(stream: stream, group: "judges", consumer: "b", minIdle: .seconds(10), count: 10).isEmpty)
            try await Task.sleep(for: .milliseconds(150))
            let claimed = try await redis.xautoclaim(stream: stream, group: "judges", consumer: "b", minIdle: .milliseconds(100), count: 10)
            #expect(claimed.map(\.id) == [id] && claimed.first?["submission"] == "42")

            #expect(try await redis.xack(stream: stream, group: "judges", ids: [id]) == 1)
            #expect(try await redis.xack(stream: stream, group: "judges", ids: [id]) == 0)
            let pending = try await redis.command(["XPENDING", stream, "judges"])
            #expect(pending.array?.first?.integer == 0)
            try await redis.delete(stream)
        }
    }

    @Test("XADD with MAXLEN keeps the stream bounded; entries keep field order")
    func boundedStream() async throws {
        let stream = TestServers.unique("events")
        try await withRedis(try TestServers.redis()) { redis in
            // `MAXLEN ~` trims whole radix-tree nodes (100 entries by default), so add a few nodes' worth.
            for index in 0..<350 {
                try await redis.xadd(stream, fields: [("n", String(index)), ("a", "1")], maxLength: 10)
            }
            let length = try #require(try await redis.command(["XLEN", stream]).integer)
            #expect(length >= 10 && length < 350)
            try await redis.xgroupCreate(stream: stream, group: "g")
            let entries = try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, count: 100)
            #expect(entries.last?.fields.map(\.name) == ["n", "a"] && entries.last?["n"] == "349")
            try await redis.delete(stream)
        }
    }

    @Test("pub/sub delivers a published message; the subscription ends when the consumer stops")
    func pubSub() async throws {
        let channel = TestServers.unique("events")
        try await withRedis(try TestServers.redis()) { redis in
            let consumer = Task { () -> RedisMessage? in
                for try await message in redis.subscribe([channel, "\(channel)-other"]) { return message }
                return nil
            }
            try await Self.publishUntilReceived(redis, channel: channel, message: "hello ✓")
            let message = try await consumer.value
            #expect(message?.channel == channel && message?.string == "hello ✓")

            // The consumer returned: its thread and connection go away.
            try await Self.waitForNoSubscriptions(redis)
            // The server drops the subscriber when it sees the connection close, a moment later.
            var receivers = -1
            for _ in 0..<100 where receivers != 0 {
                receivers = try await redis.publish(channel: channel, message: "nobody")
                if receivers != 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(receivers == 0)
        }
    }

    @Test("subscribeConfirmed returns once Redis confirmed: a message published right after is seen")
    func pubSubConfirmed() async throws {
        let channel = TestServers.unique("confirmed")
        try await withRedis(try TestServers.redis()) { redis in
            // Scoped so that the stream is released (which ends the subscription) before the check.
            func receiveTwo() async throws -> [String] {
                let messages = try await redis.subscribeConfirmed([channel, "\(channel)-b"])
                // No retry loop here, unlike publishUntilReceived: both channels are live already.
                #expect(try await redis.publish(channel: "\(channel)-b", message: "first") == 1)
                #expect(try await redis.publish(channel: channel, message: "second") == 1)
                var received: [String] = []
                for try await message in messages {
                    received.append(message.string)
                    if received.count == 2 { break }
                }
                return received
            }
            #expect(try await receiveTwo() == ["first", "second"])
            try await Self.waitForNoSubscriptions(redis)
        }
    }

    @Test("cancelling the consuming task ends the subscription")
    func pubSubCancel() async throws {
        let channel = TestServers.unique("cancel")
        try await withRedis(try TestServers.redis()) { redis in
            let consumer = Task {
                var count = 0
                for try await _ in redis.subscribe([channel]) { count += 1 }
                return count
            }
            try await Self.publishUntilReceived(redis, channel: channel, message: "one")
            consumer.cancel()
            _ = try? await consumer.value
            try await Self.waitForNoSubscriptions(redis)
        }
    }

    /// Publishes until a subscriber receives it (the subscription is confirmed asynchronously).
    static func publishUntilReceived(_ redis: RedisPool, channel: String, message: String) async throws {
        for _ in 0..<250 {
            if try await redis.publish(channel: channel, message: message) > 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no subscriber received the message within 5 s")
    }

    static func waitForNoSubscriptions(_ redis: RedisPool) async throws {
        for _ in 0..<250 where redis.subscriptionCount > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(redis.subscriptionCount == 0)
    }
}
