import AlgoProto
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// `GET /api/v1/submissions/{id}/events`: Server-Sent Events until the final verdict.
///
/// The stream starts with the current state (`event: status`), follows the events Submissions
/// publishes on Redis, and ends with `event: done` carrying the whole submission. It subscribes
/// before reading the state, so no change falls between the two; every heartbeat it also re-reads
/// the submission, which covers events lost with a Redis connection.
struct SubmissionEventsController: Sendable {
    let submissions: SubmissionsController
    let events: any SubmissionEventSource
    let heartbeat: Duration
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
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        headers[.xAccelBuffering] = "no"  // nginx would otherwise hold events back
        if current.status == .done {
            let body = ServerSentEvent.event("done", SubmissionResource(current, viewer: viewer))
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // The events are produced by a task of their own; this loop only writes them, so a
            // client that went away (a failed write) cancels the producer and its subscription.
            let (output, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
            let producer = Task {
                do {
                    try await self.follow(id, viewer: viewer, context: context, sink: sink)
                } catch {
                    context.logger.debug("event stream ended", metadata: ["error": "\(error)"])
                }
                sink.finish()
            }
            defer { producer.cancel() }
            for await buffer in output {
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        })
    }

    private enum Signal: Sendable {
        case event(SubmissionsV1.SubmissionEvent)
        case tick
        /// The subscription ended (Redis failed): heartbeats keep re-reading the submission.
        case lost((any Error)?)
        case shutdown
    }

    private func follow(_ id: Int64, viewer: Caller?, context: EdgeRequestContext, sink: AsyncStream<ByteBuffer>.Continuation) async throws {
        let messages: AsyncThrowingStream<RedisMessage, any Error>?
        do {
            messages = try await self.events.follow(id)
        } catch {
            context.logger.warning("event subscription failed; polling instead", metadata: ["error": "\(error)"])
            messages = nil
        }
        let (signals, input) = AsyncStream.makeStream(of: Signal.self)
        let heartbeat = self.heartbeat
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer {
                group.cancelAll()
                input.finish()
            }
            if let messages {
                group.addTask {
                    do {
                        for try await message in messages {
                            if let event = SubmissionEventChannel.decode(message.payload), event.submissionId == id { input.yield(.event(event)) }
                        }
                        input.yield(.lost(nil))
                    } catch {
                        input.yield(.lost(error))
                    }
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    input.yield(.tick)
                }
            }
            try await withGracefulShutdownHandler {
                try await self.relay(signals, id: id, viewer: viewer, context: context, sink: sink)
            } onGracefulShutdown: {
                input.yield(.shutdown)
            }
        }
    }

    private func done(_ progress: SubmissionProgress, viewer: Caller?, _ sink: AsyncStream<ByteBuffer>.Continuation) {
        sink.yield(ServerSentEvent.event("done", SubmissionResource(progress.latest, viewer: viewer)))
    }

    /// Writes the current state, then whatever advances it, until done.
    private func relay(
        _ signals: AsyncStream<Signal>, id: Int64, viewer: Caller?, context: EdgeRequestContext, sink: AsyncStream<ByteBuffer>.Continuation
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
