import AlgoProto
import Foundation
import ServiceKit
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("Sweeper")
    struct SweeperTests {
        @Test("jobs the stream still holds are left alone; lost ones are judged again under a new job id")
        func reenqueuesLostJobs() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                let pending = try await fixture.create(user: user)
                let inFlight = try await fixture.create(user: user)
                let jobs = try await fixture.takeJobs()
                let inFlightJob = try #require(jobs.first { $0.submissionId == inFlight.id })
                _ = try await fixture.progress(inFlightJob, .running, test: 1, of: 4)
                let acked = try await fixture.create(user: user)
                // A judge that acknowledged its entry and died before reporting a result.
                let ackedEntry = try await takeEntry(fixture, of: acked.id)
                _ = try await fixture.redis.xack(stream: fixture.stream, group: fixture.group, ids: [ackedEntry.entryID])
                let undelivered = try await fixture.create(user: user)

                // Delivered-and-pending and not-yet-delivered entries are held by the stream.
                var report = await fixture.sweeper.sweepOnce()
                #expect(!report.replaced.contains(pending.id))
                #expect(!report.replaced.contains(inFlight.id))
                #expect(!report.replaced.contains(undelivered.id))
                #expect(report.replaced.contains(acked.id))
                let ackedAgain = try await fixture.takeJobs().filter { $0.submissionId == acked.id }
                #expect(ackedAgain.count == 1)
                #expect(ackedAgain.first?.jobId != ackedEntry.job.jobId)

                // Redis loses its data.
                #expect(try await fixture.redis.delete(fixture.stream) == 1)
                report = await fixture.sweeper.sweepOnce()
                #expect(Set([pending.id, inFlight.id, undelivered.id, acked.id]).isSubset(of: Set(report.replaced)))
                #expect(try await fixture.get(inFlight.id).status == .queued)
                #expect(try await fixture.get(inFlight.id).currentTest == 0)

                let fresh = try await fixture.takeJobs()
                let freshInFlight = try #require(fresh.first { $0.submissionId == inFlight.id })
                #expect(freshInFlight.jobId != inFlightJob.jobId)
                #expect(freshInFlight.attempt == 1)
                #expect(Set(fresh.map(\.submissionId)).isSuperset(of: [pending.id, inFlight.id, undelivered.id, acked.id]))

                // The judge that was still working on the old job cannot produce a second result.
                #expect(try await fixture.complete(inFlightJob, .ac, score: 100) == true)
                #expect(try await fixture.complete(freshInFlight, .wa) == false)
                let judged = try await fixture.get(inFlight.id)
                #expect(judged.verdict == .wa)

                // Nothing is lost any more: the next pass replaces none of these.
                report = await fixture.sweeper.sweepOnce()
                #expect(Set(report.replaced).isDisjoint(with: [pending.id, inFlight.id, undelivered.id, acked.id]))
            }
        }

        @Test("a job whose judge keeps reporting is not judged twice, even when Redis lost it")
        func liveJudgeKeepsItsJob() async throws {
            try await SubmissionsFixture.with(configure: { $0.sweeper.staleAfter = .milliseconds(1500) }) { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let job = try await fixture.takeJob(of: created.id)
                _ = try await fixture.redis.delete(fixture.stream)
                for test in Int32(1)...5 {
                    #expect(try await fixture.progress(job, .running, test: test, of: 10) == false)
                    #expect(!(await fixture.sweeper.sweepOnce()).replaced.contains(created.id))
                    try await Task.sleep(for: .milliseconds(500))
                }
                // The judge goes quiet (it died): past the threshold the submission is judged again.
                // (Under load a periodic sweep may get there first: the old job being stale proves it.)
                try await Task.sleep(for: .milliseconds(1600))
                _ = await fixture.sweeper.sweepOnce()
                #expect(try await fixture.progress(job, .running, test: 6, of: 10) == true)
            }
        }

        @Test("two replicas sweeping at once replace a lost job once")
        func concurrentSweepers() async throws {
            // As in production, a job whose XADD is under way is not retried at once.
            let retryLater: (inout SubmissionsConfiguration) -> Void = { $0.sweeper.enqueueRetryAfter = .seconds(10) }
            try await SubmissionsFixture.with(configure: retryLater) { first in
                try await SubmissionsFixture.with(shareWith: first, configure: retryLater) { second in
                    let created = try await first.create(user: SubmissionsFixture.uniqueUser())
                    _ = try await first.takeJobs()
                    _ = try await first.redis.delete(first.stream)
                    async let a = first.sweeper.sweepOnce()
                    async let b = second.sweeper.sweepOnce()
                    let reports = await [a, b]
                    #expect(reports.filter { $0.replaced.contains(created.id) }.count == 1)
                    #expect(try await first.takeJobs().filter { $0.submissionId == created.id }.count == 1)
                }
            }
        }

        @Test("Redis down at create: the submission is stored, and queued once Redis answers")
        func redisDownAtCreate() async throws {
            try await SubmissionsFixture.with { live in
                let created = try await SubmissionsFixture.with(redisURL: "redis://127.0.0.1:1", shareWith: live) { down in
                    try await down.create(user: SubmissionsFixture.uniqueUser())
                }
                #expect(created.status == .queued)
                #expect(try await live.get(created.id).sourceCode == "int main() { return 0; }\n")
                #expect(try await live.takeJobs().allSatisfy { $0.submissionId != created.id })

                let report = await live.sweeper.sweepOnce()
                #expect(report.enqueued >= 1)
                let job = try await live.takeJob(of: created.id)
                #expect(job.attempt == 1)
                #expect(try await live.complete(job, .ac, score: 100) == false)
                #expect(try await live.get(created.id).verdict == .ac)
            }
        }

        @Test("the sweeper runs as a background service and stops on shutdown")
        func runsPeriodically() async throws {
            try await SubmissionsFixture.with(redisURL: nil, configure: { $0.sweeper.interval = .milliseconds(50) }) { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                _ = try await fixture.takeJobs()
                _ = try await fixture.redis.delete(fixture.stream)
                try await fixture.redis.xgroupCreate(stream: fixture.stream, group: fixture.group, startID: "0")
                // Passes are skipped until the start-up task (migrations) has finished.
                let startup = Task { try await fixture.assembly.startup.run() }
                let task = Task { try await fixture.sweeper.run() }
                defer {
                    task.cancel()
                    startup.cancel()
                }
                var found: JudgeV1.JudgeJob?
                for _ in 0..<100 where found == nil {
                    try await Task.sleep(for: .milliseconds(50))
                    found = try await fixture.takeJobs().first { $0.submissionId == created.id }
                }
                #expect(found != nil)
            }
        }
    }
}

/// Takes the entry of `submission` from the stream, with its entry id.
private func takeEntry(_ fixture: SubmissionsFixture, of submission: Int64) async throws -> (entryID: String, job: JudgeV1.JudgeJob) {
    let reply = try await fixture.redis.command(["XREADGROUP", "GROUP", fixture.group, "test-judge", "COUNT", "1000", "STREAMS", fixture.stream, ">"])
    for stream in reply.array ?? [] {
        for entry in stream.array?[1].array ?? [] {
            let id = try #require(entry.array?[0].string)
            let fields = entry.array?[1].array ?? []
            if let bytes = fields.last?.bytes, let job = try? JudgeV1.JudgeJob(decoding: .init(bytes: bytes)), job.submissionId == submission {
                return (id, job)
            }
        }
    }
    throw NotInStream(submission: submission)
}

struct NotInStream: Error {
    var submission: Int64
}
