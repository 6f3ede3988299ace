import AlgoProto
import NIOCore
import ServiceKit
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("Submission events")
    struct EventTests {
        @Test("status changes are published, and the last one is kept with a TTL", .timeLimit(.minutes(1)))
        func publishesEvents() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let channel = "\(fixture.configuration.eventPrefix)\(created.id)"
                // A late subscriber finds the current state under :last.
                var last = try await lastEvent(fixture, channel)
                #expect(last.submissionId == created.id)
                #expect(last.status == .queued)

                let messages = fixture.redis.subscribe([channel])
                try await waitForSubscriber(fixture, channel)
                var received = messages.makeAsyncIterator()

                let job = try await fixture.takeJob(of: created.id)
                _ = try await fixture.progress(job, .running, test: 2, of: 5)
                _ = try await fixture.progress(job, .running, test: 1, of: 5)  // backwards: no event
                _ = try await fixture.complete(job, .ac, score: 100) { $0.results = [result(1, .ac)] }

                let running = try SubmissionsV1.SubmissionEvent(decoding: ByteBuffer(bytes: try #require(try await received.next()).payload))
                #expect(running.status == .running)
                #expect(running.currentTest == 2)
                #expect(running.totalTests == 5)
                let done = try SubmissionsV1.SubmissionEvent(decoding: ByteBuffer(bytes: try #require(try await received.next()).payload))
                #expect(done.status == .done)
                #expect(done.verdict == .ac)
                #expect(done.score == 100)
                #expect(done.atMs >= running.atMs)

                last = try await lastEvent(fixture, channel)
                #expect(last == done)
                let ttl = try #require(try await fixture.redis.command(["PTTL", channel + ":last"]).integer)
                #expect(ttl > 0 && ttl <= 3_600_000)
            }
        }

        @Test("Redis being down never fails a call: the event is simply not published")
        func publishingFailureIsLogged() async throws {
            try await SubmissionsFixture.with(redisURL: "redis://127.0.0.1:1") { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                #expect(created.status == .queued)
                let value = try await fixture.redis.command(["GET", "\(fixture.configuration.eventPrefix)\(created.id):last"])
                #expect(value.isNull)
            }
        }
    }
}

private func lastEvent(_ fixture: SubmissionsFixture, _ channel: String) async throws -> SubmissionsV1.SubmissionEvent {
    let bytes = try #require(try await fixture.redis.command(["GET", channel + ":last"]).bytes)
    return try SubmissionsV1.SubmissionEvent(decoding: ByteBuffer(bytes: bytes))
}

/// Waits until Redis counts a subscriber on `channel` (messages sent before are not seen).
private func waitForSubscriber(_ fixture: SubmissionsFixture, _ channel: String) async throws {
    for _ in 0..<200 {
        let reply = try await fixture.redis.command(["PUBSUB", "NUMSUB", channel])
        if let count = reply.array?.last?.integer, count > 0 { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("no subscriber on \(channel) after 2 s")
}
