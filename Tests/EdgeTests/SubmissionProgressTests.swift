import AlgoProto
import NIOCore
import Testing

@testable import Edge

/// The pure parts of the event stream: the wire format, forward-only progress, and revisions.
@Suite struct SubmissionProgressTests {
    static func submission(_ status: SubmissionsV1.SubmissionStatus, test: Int32 = 0) -> SubmissionsV1.Submission {
        var submission = SubmissionsV1.Submission()
        submission.id = 7
        submission.status = status
        submission.currentTest = test
        return submission
    }

    static func event(_ status: SubmissionsV1.SubmissionStatus, test: Int32 = 0) -> SubmissionsV1.SubmissionEvent {
        var event = SubmissionsV1.SubmissionEvent()
        event.submissionId = 7
        event.status = status
        event.currentTest = test
        return event
    }

    @Test func progressOnlyMovesForward() {
        var progress = SubmissionProgress(Self.submission(.running, test: 2))
        let older = [Self.event(.compiling), Self.event(.running, test: 2), Self.event(.running, test: 1)].map { progress.advance(to: $0) }
        #expect(older == [false, false, false])
        let newer = progress.advance(to: Self.event(.running, test: 3))
        #expect(newer && progress.latest.currentTest == 3)
        // A re-read that is behind the events seen changes nothing.
        progress.replace(with: Self.submission(.running, test: 1))
        #expect(progress.latest.currentTest == 3 && !progress.isDone)
        let done = progress.advance(to: Self.event(.done, test: 3))
        #expect(done && progress.isDone)
        let afterDone = progress.advance(to: Self.event(.queued))
        #expect(!afterDone)
        var final = Self.submission(.done, test: 3)
        final.verdict = .ac
        progress.replace(with: final)
        #expect(progress.latest.verdict == .ac)
    }

    @Test func eventsAreFramedAsServerSentEvents() {
        let buffer = ServerSentEvent.event("status", SubmissionEventResource(event: Self.event(.running, test: 2)))
        #expect(String(buffer: buffer) == "event: status\ndata: {\"id\":7,\"status\":\"running\",\"verdict\":null,\"score\":0,\"current_test\":2,\"total_tests\":0}\n\n")
        #expect(String(buffer: ServerSentEvent.heartbeat).hasPrefix(":"))
    }

    @Test func ifMatchNamesARevision() throws {
        #expect(try ProblemsController.expectedRevision(ifMatch: "\"7\"", body: nil) == 7)
        #expect(try ProblemsController.expectedRevision(ifMatch: "W/\"7\"", body: 7) == 7)
        #expect(try ProblemsController.expectedRevision(ifMatch: "7", body: nil) == 7)
        #expect(try ProblemsController.expectedRevision(ifMatch: "*", body: 3) == 3)
        #expect(try ProblemsController.expectedRevision(ifMatch: nil, body: nil) == nil)
        #expect(throws: Problem.self) { try ProblemsController.expectedRevision(ifMatch: "\"x\"", body: nil) }
        #expect(throws: Problem.self) { try ProblemsController.expectedRevision(ifMatch: "\"7\"", body: 8) }
    }

    @Test func numbersAreWrittenAsJSON() {
        var json = JSONWriter()
        json.beginObject()
        json.field("a", 100.0)
        json.field("b", 0.5)
        json.field("c", Double.nan)
        json.field("d", true)
        json.field("e", ["x", "y\""])
        json.endObject()
        #expect(String(buffer: json.buffer) == #"{"a":100,"b":0.5,"c":null,"d":true,"e":["x","y\""]}"#)
    }
}

