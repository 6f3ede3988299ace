import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Edge

/// GET /api/v1/submissions/{id}/events over a real HTTP connection, with events published on the
/// real test Redis as Submissions publishes them.
@Suite struct SubmissionEventsTests {
    static func submit(_ client: some TestClientProtocol, _ harness: EdgeHarness, token: String) async throws -> Int64 {
        let slug = try await SubmissionRouteTests.problem(client, harness)
        let response = try await client.send(.post, "/api/v1/submissions", json: ["problem": slug, "language": "c", "source": "int main(){}"], token: token)
        return Int64(try #require(response.json["id"] as? Int))
    }

    static func publish(_ redis: RedisPool, _ id: Int64, _ status: SubmissionsV1.SubmissionStatus, test: Int32 = 0, verdict: SubmissionsV1.Verdict = .unspecified) async throws {
        var event = SubmissionsV1.SubmissionEvent()
        event.submissionId = id
        event.status = status
        event.currentTest = test
        event.totalTests = 3
        event.verdict = verdict
        event.score = verdict == .ac ? 100 : 0
        _ = try await redis.publish(channel: SubmissionEventChannel.channel(id), bytes: SubmissionEventChannel.encode(event))
    }

    static func json(_ event: EventStreamClient.Event?) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data((event?.data ?? "").utf8))) as? [String: Any] ?? [:]
    }

    static func subscribers(_ redis: RedisPool, _ id: Int64) async throws -> Int {
        let reply = try await redis.command(["PUBSUB", "NUMSUB", SubmissionEventChannel.channel(id)])
        return Int(reply.array?.last?.integer ?? -1)
    }

    @Test func streamFollowsEventsInOrderUntilDone() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        let redis = RedisPool(configuration: harness.configuration.redis, logger: TestServices.logger)
        defer { Task { await redis.close() } }
        try await harness.run { client in
            let author = harness.token("user")
            let id = try await Self.submit(client, harness, token: author.token)
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/submissions/\(id)/events", token: author.token) { head, next in
                #expect(head.hasPrefix("HTTP/1.1 200"))
                #expect(head.lowercased().contains("content-type: text/event-stream"))
                var events: [EventStreamClient.Event] = []
                // The current state comes first; the subscription is live by then, so nothing
                // published from here on can be missed (no retry loop needed).
                events.append(try #require(try await next()))
                try await Self.publish(redis, id, .compiling)
                try await Self.publish(redis, id, .running, test: 1)
                try await Self.publish(redis, id, .running, test: 2)
                _ = try await redis.publish(channel: SubmissionEventChannel.channel(id), message: "not an event")
                try await Self.publish(redis, id, .running, test: 1)  // late and older: dropped
                fakes.submissions.update(id) { submission in
                    submission.status = .done
                    submission.verdict = .ac
                    submission.score = 100
                    submission.totalTests = 3
                    submission.currentTest = 3
                }
                try await Self.publish(redis, id, .done, test: 3, verdict: .ac)
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["status", "status", "status", "status", "done"])
            #expect(events.prefix(4).map { Self.json($0)["status"] as? String } == ["queued", "compiling", "running", "running"])
            #expect(events.prefix(4).map { Self.json($0)["current_test"] as? Int } == [0, 0, 1, 2])
            #expect(Self.json(events.first)["verdict"] is NSNull)
            let done = Self.json(events.last)
            #expect(done["id"] as? Int == Int(id) && done["verdict"] as? String == "AC" && done["score"] as? Int == 100)
            #expect(done["source"] as? String == "int main(){}")  // the author's own stream
            try await Self.waitForSubscribers(redis, id, 0)
        }
    }

    @Test func finishedSubmissionEndsAtOnceAndStrangersSeeNoSource() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let id = try await Self.submit(client, harness, token: harness.token("user").token)
            fakes.submissions.update(id) { $0.status = .done; $0.verdict = .tle }
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/submissions/\(id)/events") { _, next in
                var events: [EventStreamClient.Event] = []
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["done"])
            #expect(Self.json(events.first)["verdict"] as? String == "TLE" && Self.json(events.first)["source"] == nil)

            let missing = try await client.send(.get, "/api/v1/submissions/987654321/events")
            #expect(missing.status == .notFound && missing.problemType == "not-found")
        }
    }

    @Test func clientGoingAwayEndsTheSubscription() async throws {
        let harness = try await EdgeHarness(["SSE_HEARTBEAT_MS": "100"])
        let redis = RedisPool(configuration: harness.configuration.redis, logger: TestServices.logger)
        defer { Task { await redis.close() } }
        try await harness.run { client in
            let id = try await Self.submit(client, harness, token: harness.token("user").token)
            let port = try #require(client.port)
            try await EventStreamClient.open(port: port, path: "/api/v1/submissions/\(id)/events") { _, next in
                let first = try await next()
                let subscribers = try await Self.subscribers(redis, id)
                #expect(first?.name == "status")
                #expect(subscribers == 1)
            }
            // Closed: the next heartbeat fails to write, and the subscription goes.
            try await Self.waitForSubscribers(redis, id, 0)
        }
    }

    /// A lost event (Redis dropped it, or the subscription failed) is made up for by the re-read
    /// at each heartbeat.
    @Test func heartbeatsRereadTheSubmission() async throws {
        let harness = try await EdgeHarness(["SSE_HEARTBEAT_MS": "150"])
        let fakes = harness.services.fakes
        try await harness.run { client in
            let id = try await Self.submit(client, harness, token: harness.token("user").token)
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/submissions/\(id)/events") { _, next in
                var events = [try #require(try await next())]
                fakes.submissions.update(id) { $0.status = .running; $0.currentTest = 2; $0.totalTests = 5 }
                events.append(try #require(try await next()))
                fakes.submissions.update(id) { $0.status = .done; $0.verdict = .re }
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["status", "status", "done"])
            #expect(Self.json(events[1])["current_test"] as? Int == 2 && Self.json(events[1])["total_tests"] as? Int == 5)
            #expect(Self.json(events.last)["verdict"] as? String == "RE")
        }
    }

    /// Redis is down: no live events, but the stream still reports changes (and the end) from the
    /// re-reads at each heartbeat.
    @Test func redisDownFallsBackToRereading() async throws {
        let harness = try await EdgeHarness(["REDIS_URL": "redis://127.0.0.1:1", "SSE_HEARTBEAT_MS": "100"])
        let fakes = harness.services.fakes
        try await harness.run { client in
            let id = try await Self.submit(client, harness, token: harness.token("user").token)
            let port = try #require(client.port)
            let events = try await EventStreamClient.open(port: port, path: "/api/v1/submissions/\(id)/events") { _, next in
                var events = [try #require(try await next())]
                fakes.submissions.update(id) { $0.status = .done; $0.verdict = .ac }
                while let event = try await next() { events.append(event) }
                return events
            }
            #expect(events.map(\.name) == ["status", "done"])
            #expect(Self.json(events.last)["verdict"] as? String == "AC")
        }
    }

    static func waitForSubscribers(_ redis: RedisPool, _ id: Int64, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await Self.subscribers(redis, id) != count {
            guard ContinuousClock.now < deadline else {
                Issue.record("channel of \(id) still has \(try await Self.subscribers(redis, id)) subscribers")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
