import AlgoProto
import Hummingbird
import ServiceKit

/// `GET /api/v1/submissions/{id}/events`: Server-Sent Events until the final verdict.
///
/// The stream starts with the current state (`event: status`), follows the events Submissions
/// publishes on Redis, and ends with `event: done` carrying the whole submission. It subscribes
/// before reading the state, so no change falls between the two; every heartbeat it also re-reads
/// the submission, which covers events lost with a Redis connection.
struct SubmissionEventsController: Sendable {
    let submissions: SubmissionsController
    let live: LiveEventStream
    /// A queue that never drains should not hold a connection forever: the client reconnects.
    let maximumDuration: Duration = .seconds(30 * 60)

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.submissionEvents, use: self.stream)
    }

    @Sendable func stream(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.submissions.authenticator.optional(request)
        let id = try SubmissionsController.id(context)
        // A missing submission or a failing service is an ordinary problem answer, before the 200.
        let current = try await self.submissions.load(id, viewer: viewer, context: context)
        if current.status == .done {
            return LiveEventStream.finished(ServerSentEvent.event("done", SubmissionResource(current, viewer: viewer)))
        }
        return self.live.response(
            channel: SubmissionEventChannel.channel(id), context: context,
            decode: { message in SubmissionEventChannel.decode(message.payload).flatMap { $0.submissionId == id ? $0 : nil } },
            relay: { signals, sink in try await self.relay(signals, id: id, viewer: viewer, context: context, sink: sink) }
        )
    }

    private func done(_ progress: SubmissionProgress, viewer: Caller?, _ sink: AsyncStream<ByteBuffer>.Continuation) {
        sink.yield(ServerSentEvent.event("done", SubmissionResource(progress.latest, viewer: viewer)))
    }

    /// Writes the current state, then whatever advances it, until done.
    private func relay(
        _ signals: AsyncStream<LiveSignal<SubmissionsV1.SubmissionEvent>>, id: Int64, viewer: Caller?, context: EdgeRequestContext, sink: AsyncStream<ByteBuffer>.Continuation
    ) async throws {
        let deadline = ContinuousClock.now + self.maximumDuration
        var progress = SubmissionProgress(try await self.submissions.load(id, viewer: viewer, context: context))
        sink.yield(ServerSentEvent.retry)
        if progress.isDone { return self.done(progress, viewer: viewer, sink) }
        sink.yield(ServerSentEvent.event("status", SubmissionEventResource(event: progress.event)))
        for await signal in signals {
            switch signal {
            case .event(let event):
                guard progress.advance(to: event) else { continue }
                if progress.isDone {
                    // The event says done; the stored submission has the per-test results.
                    if let final = try? await self.submissions.load(id, viewer: viewer, context: context) { progress.replace(with: final) }
                    return self.done(progress, viewer: viewer, sink)
                }
                sink.yield(ServerSentEvent.event("status", SubmissionEventResource(event: event)))
            case .tick:
                // A write to a client that left fails, which cancels this task.
                sink.yield(ServerSentEvent.heartbeat)
                guard ContinuousClock.now < deadline else { return }
                guard let reloaded = try? await self.submissions.load(id, viewer: viewer, context: context) else { continue }
                let before = progress.event
                progress.replace(with: reloaded)
                if progress.isDone {
                    return self.done(progress, viewer: viewer, sink)
                }
                if progress.event != before { sink.yield(ServerSentEvent.event("status", SubmissionEventResource(event: progress.event))) }
            case .lost(let error):
                context.logger.warning("event subscription lost; polling instead", metadata: ["error": "\(error.map { "\($0)" } ?? "closed")"])
            case .shutdown:
                return
            }
        }
    }
}

/// The newest known state of a submission. Events can arrive after a re-read already showed a
/// later state, so the state only moves forward (status, then test number).
struct SubmissionProgress {
    private(set) var latest: SubmissionsV1.Submission

    init(_ submission: SubmissionsV1.Submission) { self.latest = submission }

    var isDone: Bool { self.latest.status == .done }

    var event: SubmissionsV1.SubmissionEvent {
        var event = SubmissionsV1.SubmissionEvent()
        event.submissionId = self.latest.id
        event.status = self.latest.status
        event.currentTest = self.latest.currentTest
        event.totalTests = self.latest.totalTests
        event.verdict = self.latest.verdict
        event.score = self.latest.score
        return event
    }

    /// Applies `event` when it is newer; false when it changes nothing.
    mutating func advance(to event: SubmissionsV1.SubmissionEvent) -> Bool {
        guard Self.isNewer(event.status, event.currentTest, than: self.latest) else { return false }
        self.latest.status = event.status
        self.latest.currentTest = event.currentTest
        self.latest.totalTests = event.totalTests
        self.latest.verdict = event.verdict
        self.latest.score = event.score
        return true
    }

    mutating func replace(with submission: SubmissionsV1.Submission) {
        if submission.status == .done || Self.isNewer(submission.status, submission.currentTest, than: self.latest) {
            self.latest = submission
        }
    }

    private static func isNewer(_ status: SubmissionsV1.SubmissionStatus, _ test: Int32, than current: SubmissionsV1.Submission) -> Bool {
        guard current.status != .done else { return false }
        if status.rawValue != current.status.rawValue { return status.rawValue > current.status.rawValue }
        return test > current.currentTest
    }
}
