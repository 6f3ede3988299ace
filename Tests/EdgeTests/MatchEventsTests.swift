import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Edge

/// GET /api/v1/matches/{id}/events over a real HTTP connection, with events published on the real
/// test Redis as Submissions publishes them.
@Suite struct MatchEventsTests {
    static func publish(_ redis: RedisPool, _ id: Int64, _ status: SubmissionsV1.MatchStatus, at: Int64) async throws {
        var event = SubmissionsV1.MatchEvent()
        event.matchId = id
        event.status = status
        event.atMs = at
        _ = try await redis.publish(channel: MatchEventChannel.channel(id), bytes: event.serializedBytes())
    }

    static func subscribers(_ redis: RedisPool, _ id: Int64) async throws -> Int {
        let reply = try await redis.command(["PUBSUB", "NUMSUB", MatchEventChannel.channel(id)])
        return Int(reply.array?.last?.integer ?? -1)
    }

    static func queuedMatch(_ client: some TestClientProtocol, _ harness: EdgeHarness) async throws -> Int64 {
        let (room, players) = try await MatchRouteTests.arena(client, harness)
        return try await MatchRouteTests.challenge(client, room: room, players[0], players[1])
    }

    @Test func streamFollowsEventsUntilDone() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        let redis = RedisPool(configuration: harness.configuration.redis, logger: TestServices.logger)
        defer { Task { await redis.close() } }
        try await harness.run { client in
            let id = try await Self.queuedMatch(client, harness)
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/matches/\(id)/events") { head, next in
                #expect(head.hasPrefix("HTTP/1.1 200"))
                #expect(head.lowercased().contains("content-type: text/event-stream"))
                // The current state first; the subscription is live by then.
                var events = [try #require(try await next())]
                #expect(try await Self.subscribers(redis, id) == 1)
                try await Self.publish(redis, id, .running, at: 2_000)
                _ = try await redis.publish(channel: MatchEventChannel.channel(id), message: "not an event")
                try await Self.publish(redis, id, .queued, at: 1_000)  // older: dropped
                MatchRouteTests.finish(fakes.matches, id, rated: false)
                try await Self.publish(redis, id, .done, at: 3_000)
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["status", "status", "done"])
            #expect(events.prefix(2).map { SubmissionEventsTests.json($0)["status"] as? String } == ["queued", "running"])
            #expect(SubmissionEventsTests.json(events[1])["at"] as? String == "1970-01-01T00:00:02.000Z")
            let done = SubmissionEventsTests.json(events.last)
            #expect(done["id"] as? Int == Int(id) && done["status"] as? String == "done")
            #expect((done["players"] as? [[String: Any]])?.compactMap { $0["rank"] as? Int } == [1, 2])
            #expect(events.last?.data.contains("stderr of player") == false)
            try await SubmissionEventsTests.waitFor { try await Self.subscribers(redis, id) == 0 }
        }
    }

    @Test func finalMatchesEndAtOnce() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let port = try #require(client.port)
            for status in [SubmissionsV1.MatchStatus.done, .failed] {
                let id = try await Self.queuedMatch(client, harness)
                fakes.matches.updateMatch(id) { $0.status = status; $0.error = status == .failed ? "referee crashed" : "" }
                let events = try await EventStreamClient.open(port: port, path: "/api/v1/matches/\(id)/events") { _, next in
                    var events: [EventStreamClient.Event] = []
                    while let event = try await next() { events.append(event) }
                    return events
                }
                #expect(events.map(\.name) == ["done"])
                #expect(SubmissionEventsTests.json(events.first)["status"] as? String == (status == .done ? "done" : "failed"))
            }
            #expect(try await client.send(.get, "/api/v1/matches/987654321/events").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/matches/abc/events").status == .badRequest)
        }
    }

    /// A lost event is made up for by the re-read at each heartbeat; a failed match ends the stream.
    @Test func heartbeatsRereadTheMatch() async throws {
        let harness = try await EdgeHarness(["SSE_HEARTBEAT_MS": "150"])
        let fakes = harness.services.fakes
        try await harness.run { client in
            let id = try await Self.queuedMatch(client, harness)
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/matches/\(id)/events") { _, next in
                var events = [try #require(try await next())]
                fakes.matches.updateMatch(id) { $0.status = .running }
                events.append(try #require(try await next()))
                fakes.matches.updateMatch(id) { $0.status = .failed; $0.error = "referee crashed" }
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["status", "status", "done"])
            #expect(SubmissionEventsTests.json(events[1])["status"] as? String == "running")
            #expect(SubmissionEventsTests.json(events.last)["status"] as? String == "failed")
            #expect(SubmissionEventsTests.json(events.last)["error"] as? String == "referee crashed")
        }
    }
}

extension SubmissionEventsTests {
    /// Polls `condition` for up to 10 s.
    static func waitFor(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
