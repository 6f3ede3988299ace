import AlgoProto
import Testing

@testable import Edge

/// The state a match's event stream reports, without I/O.
@Suite struct MatchProgressTests {
    static func match(_ status: SubmissionsV1.MatchStatus) -> SubmissionsV1.Match {
        var match = SubmissionsV1.Match()
        match.id = 7
        match.status = status
        match.createdAtMs = 1_000
        return match
    }

    static func event(_ status: SubmissionsV1.MatchStatus, at: Int64) -> SubmissionsV1.MatchEvent {
        var event = SubmissionsV1.MatchEvent()
        event.matchId = 7
        event.status = status
        event.atMs = at
        return event
    }

    @Test func eventsApplyInTimeOrderAndARetryMayRequeue() {
        var progress = MatchProgress(Self.match(.queued))
        #expect(progress.event.atMs == 1_000 && progress.event.status == .queued)
        // (event, applied?)
        let steps: [(SubmissionsV1.MatchStatus, Int64, Bool)] = [
            (.running, 2_000, true),
            (.queued, 1_500, false),  // stale
            (.running, 2_500, false),  // no change
            (.queued, 3_000, true),  // the referee failed; retried
        ]
        for (status, at, applied) in steps {
            let changed = progress.advance(to: Self.event(status, at: at))
            #expect(changed == applied, "\(status) at \(at)")
        }
        #expect(progress.event.status == .queued && progress.event.atMs == 3_000 && !progress.isFinal)
        let failed = progress.advance(to: Self.event(.failed, at: 4_000))
        #expect(failed && progress.isFinal)
        let late = progress.advance(to: Self.event(.running, at: 5_000))
        #expect(!late && progress.latest.status == .failed)
    }

    @Test func rereadsReplaceUntilFinal() {
        var progress = MatchProgress(Self.match(.queued))
        let same = progress.replace(with: Self.match(.queued))
        #expect(!same)
        let running = progress.replace(with: Self.match(.running))
        #expect(running && progress.event.atMs == 0)  // when it started is not known
        var done = Self.match(.done)
        done.finishedAtMs = 9_000
        let finished = progress.replace(with: done)
        #expect(finished && progress.isFinal && progress.event.atMs == 9_000)
        let after = progress.replace(with: Self.match(.running))
        #expect(!after && progress.latest.status == .done)
    }
}
