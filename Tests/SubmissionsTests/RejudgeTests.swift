import AlgoProto
import RPC
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("Rejudge")
    struct RejudgeTests {
        @Test("after a rejudge the old job's results are stale and the new job's count")
        func oldJobIsStale() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let old = try await fixture.takeJob(of: created.id)
                #expect(try await fixture.complete(old, .wa) { $0.results = [result(1, .wa)] } == false)

                #expect(try await fixture.rejudge(.submissionId(created.id)) == 1)
                var submission = try await fixture.get(created.id)
                #expect(submission.status == .queued)
                #expect(submission.verdict == .unspecified)
                #expect(submission.results.isEmpty)
                let new = try await fixture.takeJob(of: created.id)
                #expect(new.jobId != old.jobId)
                #expect(new.attempt == 1)

                // The old job's result repeated late: it was accepted once, so it is answered
                // alike, and it does not touch the new judging.
                #expect(try await fixture.complete(old, .wa) == false)
                #expect(try await fixture.progress(old, .running, test: 1, of: 1) == true)
                #expect(try await fixture.get(created.id).status == .queued)
                #expect(try await fixture.complete(new, .ac, score: 100) { $0.results = [result(1, .ac)] } == false)
                submission = try await fixture.get(created.id)
                #expect(submission.verdict == .ac)
                #expect(submission.score == 100)
            }
        }

        @Test("results of a job replaced before it finished are dropped with stale_job")
        func unfinishedJobIsStale() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let old = try await fixture.takeJob(of: created.id)
                _ = try await fixture.progress(old, .running, test: 1, of: 5)
                #expect(try await fixture.rejudge(.submissionId(created.id)) == 1)
                let new = try await fixture.takeJob(of: created.id)

                #expect(try await fixture.progress(old, .running, test: 2, of: 5) == true)
                #expect(try await fixture.complete(old, .ac, score: 100) == true)
                // Asked again, the stale job is still stale.
                #expect(try await fixture.complete(old, .ac, score: 100) == true)
                var submission = try await fixture.get(created.id)
                #expect(submission.status == .queued)
                #expect(submission.currentTest == 0)

                #expect(try await fixture.complete(new, .tle) == false)
                submission = try await fixture.get(created.id)
                #expect(submission.verdict == .tle)
            }
        }

        @Test("a problem rejudge queues each of its submissions with a new job")
        func problemRejudge() async throws {
            try await SubmissionsFixture.with { fixture in
                var ids: Set<Int64> = []
                for _ in 0..<3 { ids.insert(try await fixture.create(user: SubmissionsFixture.uniqueUser()).id) }
                let python = try await fixture.create(user: 1, problem: fixture.catalog.pythonOnly, language: "python")
                _ = try await fixture.takeJobs()

                #expect(try await fixture.rejudge(.problemId(fixture.catalog.aPlusB)) == 3)
                let jobs = try await fixture.takeJobs()
                #expect(Set(jobs.map(\.submissionId)) == ids)
                #expect(Set(jobs.map(\.jobId)).count == 3)
                #expect(!jobs.contains { $0.submissionId == python.id })

                // Rejudging judges against the problem's current test data, so Problems must know it.
                #expect(await rpcError { _ = try await fixture.rejudge(.problemId(fixture.catalog.missing)) }?.code == .notFound)
            }
        }

        @Test("rejudge input: no target, unknown submission, not staff")
        func rejudgeErrors() async throws {
            try await SubmissionsFixture.with { fixture in
                let error = await rpcError { _ = try await fixture.client.rejudge(SubmissionsV1.RejudgeRequest()) }
                #expect(violations(error)["target"] != nil)
                #expect(await rpcError { _ = try await fixture.rejudge(.submissionId(Int64.max)) }?.code == .notFound)
                #expect(await rpcError { _ = try await fixture.rejudge(.submissionId(-1)) }?.code == .invalidArgument)
                let created = try await fixture.create(user: 7)
                #expect(await rpcError { _ = try await fixture.rejudge(.submissionId(created.id), role: "user") }?.code == .permissionDenied)
            }
        }
    }
}
