import AlgoProto
import Hummingbird
import ServiceKit

/// `GET /api/v1/matches/{id}/events`: Server-Sent Events until the match is done or failed.
///
/// Like the submission stream: it subscribes to `MatchEventChannel` before reading the match, so
/// no change falls between the two, starts with the current status (`event: status`), and ends
/// with `event: done` carrying the whole match. Every heartbeat re-reads the match, which covers
/// events lost with a Redis connection.
struct MatchEventsController: Sendable {
    let matches: MatchesController
    let live: LiveEventStream
    /// A queue that never drains should not hold a connection forever: the client reconnects.
    let maximumDuration: Duration = .seconds(30 * 60)

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.matchEvents, use: self.stream)
    }

    @Sendable func stream(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.matches.authenticator.optional(request)
        let id = try MatchesController.id(context)
        // A missing match or a failing service is an ordinary problem answer, before the 200.
        let current = try await self.matches.load(id, viewer: viewer, context: context)
        if MatchProgress(current).isFinal {
            return LiveEventStream.finished(ServerSentEvent.event("done", MatchResource(match: current)))
        }
        return self.live.response(
            channel: MatchEventChannel.channel(id), context: context,
            decode: { message in MatchEventChannel.decode(message.payload).flatMap { $0.matchId == id ? $0 : nil } },
            relay: { signals, sink in try await self.relay(signals, id: id, viewer: viewer, context: context, sink: sink) }
        )
    }

    /// Writes the current status, then every change, until the match is final.
    private func relay(
        _ signals: AsyncStream<LiveSignal<SubmissionsV1.MatchEvent>>, id: Int64, viewer: Caller?, context: EdgeRequestContext,
        sink: AsyncStream<ByteBuffer>.Continuation
    ) async throws {
        let deadline = ContinuousClock.now + self.maximumDuration
        var progress = MatchProgress(try await self.matches.load(id, viewer: viewer, context: context))
        func done() { sink.yield(ServerSentEvent.event("done", MatchResource(match: progress.latest))) }
        func status() { sink.yield(ServerSentEvent.event("status", MatchEventResource(event: progress.event))) }
        sink.yield(ServerSentEvent.retry)
        if progress.isFinal { return done() }
        status()
        for await signal in signals {
            switch signal {
            case .event(let event):
                guard progress.advance(to: event) else { continue }
                if progress.isFinal {
                    // The event says final; the stored match has the players' results.
                    if let final = try? await self.matches.load(id, viewer: viewer, context: context), MatchProgress.isFinal(final.status) {
                        progress = MatchProgress(final)
                    }
                    return done()
                }
                status()
            case .tick:
                // A write to a client that left fails, which cancels this task.
                sink.yield(ServerSentEvent.heartbeat)
                guard ContinuousClock.now < deadline else { return }
                guard let reloaded = try? await self.matches.load(id, viewer: viewer, context: context) else { continue }
                let changed = progress.replace(with: reloaded)
                if progress.isFinal { return done() }
                if changed { status() }
            case .lost(let error):
                context.logger.warning("event subscription lost; polling instead", metadata: ["error": "\(error.map { "\($0)" } ?? "closed")"])
            case .shutdown:
                return
            }
        }
    }
}

/// The newest known state of a match. A referee failure puts a running match back in the queue,
/// so the status may go back; events are ordered by their time instead, and a final status
/// (done or failed) never changes.
struct MatchProgress {
    private(set) var latest: SubmissionsV1.Match
    /// The newest event's time: older events are stale.
    private var lastEventAt: Int64 = 0
    /// When the match reached its current status, when known (0: not known).
    private var statusAt: Int64

    init(_ match: SubmissionsV1.Match) {
        self.latest = match
        self.statusAt = match.status == .queued ? match.createdAtMs : match.finishedAtMs
    }

    var isFinal: Bool { Self.isFinal(self.latest.status) }

    static func isFinal(_ status: SubmissionsV1.MatchStatus) -> Bool { status == .done || status == .failed }

    var event: SubmissionsV1.MatchEvent {
        var event = SubmissionsV1.MatchEvent()
        event.matchId = self.latest.id
        event.status = self.latest.status
        event.atMs = self.statusAt
        return event
    }

    /// Applies `event` when it is newer and changes the status; false otherwise.
    mutating func advance(to event: SubmissionsV1.MatchEvent) -> Bool {
        guard !self.isFinal, event.atMs >= self.lastEventAt else { return false }
        self.lastEventAt = event.atMs
        guard event.status != self.latest.status else { return false }
        self.latest.status = event.status
        self.statusAt = event.atMs
        return true
    }

    /// Takes a re-read match unless the known state is final; true when the status changed.
    @discardableResult
    mutating func replace(with match: SubmissionsV1.Match) -> Bool {
        guard !self.isFinal else { return false }
        let changed = match.status != self.latest.status
        if changed { self.statusAt = Self.isFinal(match.status) ? match.finishedAtMs : 0 }
        self.latest = match
        return changed
    }
}
