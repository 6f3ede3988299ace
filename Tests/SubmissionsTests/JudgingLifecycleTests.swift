import AlgoProto
import Foundation
import RPC
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("Judging lifecycle")
    struct JudgingLifecycleTests {
        @Test("progress moves forward only; reports out of order change nothing")
        func progressIsMonotonic() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let job = try await fixture.takeJob(of: created.id)

                #expect(try await fixture.progress(job, .compiling) == false)
                #expect(try await fixture.get(created.id).status == .compiling)
                #expect(try await fixture.progress(job, .running, test: 3, of: 10) == false)
                // Late reports: an earlier test, then compiling again.
                #expect(try await fixture.progress(job, .running, test: 2, of: 10) == false)
                #expect(try await fixture.progress(job, .compiling) == false)
                let running = try await fixture.get(created.id)
                #expect(running.status == .running)
                #expect(running.currentTest == 3)
                #expect(running.totalTests == 10)

                #expect(try await fixture.progress(job, .running, test: 4, of: 10) == false)
                #expect(try await fixture.get(created.id).currentTest == 4)

                // A job id the submission never had is stale.
                var other = job
                other.jobId = UUID().uuidString.lowercased()
                #expect(try await fixture.progress(other, .running, test: 9, of: 10) == true)
                #expect(try await fixture.get(created.id).currentTest == 4)
            }
        }

        @Test("progress reports are validated")
        func progressValidation() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                var job = try await fixture.takeJob(of: created.id)
                var error = await rpcError { _ = try await fixture.progress(job, .done) }
                #expect(violations(error)["status"] != nil)
                error = await rpcError { _ = try await fixture.progress(job, .running, test: 5, of: 3) }
                #expect(violations(error)["current_test"] != nil)
                job.jobId = "not-a-uuid"
                error = await rpcError { _ = try await fixture.progress(job, .running, test: 1, of: 3) }
                #expect(error?.code == .invalidArgument)
                #expect(violations(error)["job_id"] != nil)
                job.submissionId = Int64.max
                job.jobId = UUID().uuidString
                error = await rpcError { _ = try await fixture.progress(job, .running, test: 1, of: 3) }
                #expect(error?.code == .notFound)
            }
        }

        @Test("completion stores results, truncates long text, and is idempotent by job id")
        func completeIsIdempotent() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let job = try await fixture.takeJob(of: created.id)
                _ = try await fixture.progress(job, .running, test: 2, of: 2)
                let longMessage = String(repeating: "é", count: 1000)  // 2000 bytes
                let longCompile = String(repeating: "warning: x\n", count: 3000)  // 33 000 bytes
                let stale = try await fixture.complete(job, .wa, score: 50) { request in
                    request.compileOutput = longCompile
                    request.results = [
                        result(1, .ac, cpu: 15, memory: 2048, message: "ok"),
                        result(2, .wa, cpu: 40, memory: 1024, message: longMessage),
                    ]
                }
                #expect(stale == false)

                let judged = try await fixture.get(created.id)
                #expect(judged.status == .done)
                #expect(judged.verdict == .wa)
                #expect(judged.score == 50)
                #expect(judged.maxScore == 100)
                #expect(judged.maxCpuTimeMs == 40)
                #expect(judged.maxMemoryKb == 2048)
                #expect(judged.judgedAtMs >= judged.createdAtMs)
                #expect(judged.compileOutput.utf8.count <= 16 * 1024)
                #expect(judged.compileOutput.hasPrefix("warning: x\n"))
                #expect(judged.results.map(\.testIndex) == [1, 2])
                #expect(judged.results.map(\.verdict) == [.ac, .wa])
                #expect(judged.results[0].checkerMessage == "ok")
                #expect(judged.results[1].checkerMessage.utf8.count == 1024)
                #expect(judged.results[1].checkerMessage.allSatisfy { $0 == "é" })
                #expect(judged.results[1].wallTimeMs == 80)
                #expect(judged.results[1].exitCode == 1)
                #expect(judged.results[1].points == 0.5)

                // The same job again, even with another verdict: answered alike, nothing changes.
                #expect(try await fixture.complete(job, .ac, score: 100) == false)
                let again = try await fixture.get(created.id)
                #expect(again.verdict == .wa)
                #expect(again.score == 50)
                #expect(again.results.count == 2)
                // Progress after the end changes nothing either.
                #expect(try await fixture.progress(job, .running, test: 1, of: 2) == false)
                #expect(try await fixture.get(created.id).status == .done)
            }
        }

        @Test("a bad result is INVALID_ARGUMENT and stores nothing")
        func completeValidation() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let job = try await fixture.takeJob(of: created.id)
                var error = await rpcError { _ = try await fixture.complete(job, .unspecified) }
                #expect(violations(error)["verdict"] != nil)
                error = await rpcError { _ = try await fixture.complete(job, .ac, score: .nan) }
                #expect(violations(error)["score"] != nil)
                error = await rpcError {
                    _ = try await fixture.complete(job, .ac) { $0.results = [result(1, .ac), result(1, .ac)] }
                }
                #expect(violations(error)["results"] != nil)
                error = await rpcError {
                    _ = try await fixture.complete(job, .ac) { $0.results = [result(1, SubmissionsV1.Verdict(rawValue: 99))] }
                }
                #expect(violations(error)["results[0].verdict"] != nil)
                #expect(try await fixture.get(created.id).status == .queued)
            }
        }

        @Test("a system error is judged again with a new job up to SE_MAX_ATTEMPTS, then ends as SE")
        func systemErrorsAreRetried() async throws {
            try await SubmissionsFixture.with(environment: ["SE_MAX_ATTEMPTS": "3"]) { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let first = try await fixture.takeJob(of: created.id)
                #expect(first.attempt == 1)

                #expect(try await fixture.complete(first, .se) == false)
                var submission = try await fixture.get(created.id)
                #expect(submission.status == .queued)
                #expect(submission.verdict == .unspecified)
                #expect(submission.attempts == 1)
                let second = try await fixture.takeJob(of: created.id)
                #expect(second.attempt == 2)
                #expect(second.jobId != first.jobId)

                // The first SE repeated: no second retry, no new job.
                #expect(try await fixture.complete(first, .se) == false)
                #expect(try await fixture.takeJobs().isEmpty)

                #expect(try await fixture.complete(second, .se) == false)
                let third = try await fixture.takeJob(of: created.id)
                #expect(third.attempt == 3)
                #expect(try await fixture.complete(third, .se) == false)
                submission = try await fixture.get(created.id)
                #expect(submission.status == .done)
                #expect(submission.verdict == .se)
                #expect(submission.attempts == 2)
                #expect(try await fixture.takeJobs().isEmpty)
            }
        }

        @Test("concurrent duplicate completions count once")
        func concurrentCompletionsCountOnce() async throws {
            try await SubmissionsFixture.with { fixture in
                let judged = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let failed = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let jobs = try await fixture.takeJobs()
                let judgedJob = try #require(jobs.first { $0.submissionId == judged.id })
                let failedJob = try #require(jobs.first { $0.submissionId == failed.id })
                // A job claimed twice (redelivered to two judges) reports twice, at the same time.
                let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for copy in 0..<8 {
                        group.addTask {
                            copy % 2 == 0
                                ? try await fixture.complete(judgedJob, .ac, score: 100) { $0.results = [result(1, .ac), result(2, .ac)] }
                                : try await fixture.complete(failedJob, .se)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers == Array(repeating: false, count: 8))
                let done = try await fixture.get(judged.id)
                #expect(done.verdict == .ac)
                #expect(done.results.count == 2)
                // One system error, one retry: exactly one new job.
                let retries = try await fixture.takeJobs().filter { $0.submissionId == failed.id }
                #expect(retries.count == 1)
                #expect(retries.first?.attempt == 2)
                #expect(try await fixture.get(failed.id).attempts == 1)
            }
        }

        @Test("a success after a system error counts once")
        func successAfterSystemError() async throws {
            try await SubmissionsFixture.with { fixture in
                let created = try await fixture.create(user: SubmissionsFixture.uniqueUser())
                let first = try await fixture.takeJob(of: created.id)
                _ = try await fixture.complete(first, .se)
                let second = try await fixture.takeJob(of: created.id)
                #expect(try await fixture.complete(second, .ac, score: 100) { $0.results = [result(1, .ac)] } == false)
                let judged = try await fixture.get(created.id)
                #expect(judged.verdict == .ac)
                #expect(judged.attempts == 1)
                #expect(judged.results.count == 1)
            }
        }
    }
}

func result(
    _ index: Int32, _ verdict: SubmissionsV1.Verdict, cpu: Int32 = 1, memory: Int64 = 100, message: String = ""
) -> SubmissionsV1.TestResult {
    var result = SubmissionsV1.TestResult()
    result.testIndex = index
    result.testName = String(format: "%02d", index)
    result.group = ""
    result.verdict = verdict
    result.cpuTimeMs = cpu
    result.wallTimeMs = cpu * 2
    result.memoryKb = memory
    result.checkerMessage = message
    result.points = verdict == .ac ? 1 : 0.5
    result.exitCode = verdict == .ac ? 0 : 1
    return result
}
