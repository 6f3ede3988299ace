import AlgoProto
import Logging
import RPC

/// `JudgeBench e2e`: submissions fully judged per second through the queue. Problems, Submissions
/// and JudgeService run as their own processes (tools/bench-judge.sh starts them); this creates a
/// C A+B problem with 20 tests and submits a batch at once, then waits until every one is done:
/// first one solution over and over (compiled once, then served from the compile cache), then
/// distinct sources (every submission compiles).
enum EndToEndBench {
    static func run(problemsPort: Int, submissionsPort: Int, secret: String, count: Int) async throws {
        let problemsRPC = Self.client(port: problemsPort, secret: secret)
        let submissionsRPC = Self.client(port: submissionsPort, secret: secret)
        defer {
            Task {
                await problemsRPC.close()
                await submissionsRPC.close()
            }
        }
        let problems = ProblemsV1.ProblemsClient(problemsRPC)
        let submissions = SubmissionsV1.SubmissionsClient(submissionsRPC)
        let problemID = try await Self.createProblem(problems)

        // Warm-up: the judge downloads the test data and starts its sandboxes.
        for index in 0..<2 {
            _ = try await Self.judge(submissions, problemID: problemID, sources: [Self.source(variant: -1 - index)])
        }
        print("end to end: C A+B, 20 tests, \(count) submissions per batch, submitted at once")
        let same = try await Self.measure(submissions, problemID: problemID, sources: Array(repeating: Self.source(variant: -1), count: count))
        print("  one solution, resubmitted      \(same.summary)   target >= 10/s: \(same.rate >= 10 ? "MET" : "NOT MET")")
        let distinct = try await Self.measure(submissions, problemID: problemID, sources: (0..<count).map { Self.source(variant: $0) })
        print("  distinct sources (each compiles) \(distinct.summary)")
    }

    struct Measurement {
        var rate: Double
        var summary: String
    }

    static func measure(_ submissions: SubmissionsV1.SubmissionsClient, problemID: Int64, sources: [String]) async throws -> Measurement {
        let start = ContinuousClock.now
        let verdicts = try await Self.judge(submissions, problemID: problemID, sources: sources)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(sources.count) / seconds
        let accepted = verdicts.filter { $0 == .ac }.count
        return Measurement(rate: rate, summary: "\(Double(Int(rate * 10)) / 10) submissions/s (\(Self.milliseconds(elapsed)) in all, \(accepted)/\(sources.count) AC)")
    }

    static func client(port: Int, secret: String) -> RPCClient {
        var configuration = RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: port)], authenticator: PeerAuthenticator(secret: secret))
        configuration.defaultTimeout = .seconds(30)
        return RPCClient(configuration: configuration, logger: Logger(label: "judge-bench"))
    }

    /// A distinct program per variant, so that every submission compiles.
    static func source(variant: Int) -> String {
        """
        #include <stdio.h>
        /* variant \(variant) */
        int main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }
        """
    }

    static func createProblem(_ problems: ProblemsV1.ProblemsClient) async throws -> Int64 {
        var problem = ProblemsV1.Problem()
        problem.slug = "bench-aplusb-\(UInt32.random(in: 0...UInt32.max))"
        problem.title = "A+B (benchmark)"
        problem.statementMarkdown = "Print a + b."
        problem.timeLimitMs = 1000
        problem.memoryLimitMb = 64
        problem.visibility = .public
        problem.difficulty = .easy
        problem.authorIds = [1]
        var create = ProblemsV1.CreateProblemRequest()
        create.problem = problem
        guard let created = try await problems.createProblem(create).problem else { throw BenchError("CreateProblem returned nothing") }
        var tests = ProblemsV1.TestCaseList()
        tests.tests = (1...20).map { index in
            var test = ProblemsV1.TestCase()
            test.name = String(index)
            test.input = Array("\(index * 7919) \(index * 104_729)\n".utf8)
            test.answer = Array("\(index * 7919 + index * 104_729)\n".utf8)
            return test
        }
        var put = ProblemsV1.PutTestDataRequest()
        put.problemId = created.id
        put.content = .tests(tests)
        _ = try await problems.putTestData(put)
        return created.id
    }

    /// Submits every source at once, then polls until all are done; returns the verdicts.
    static func judge(_ submissions: SubmissionsV1.SubmissionsClient, problemID: Int64, sources: [String]) async throws -> [SubmissionsV1.Verdict] {
        var ids: [Int64] = []
        for source in sources {
            var request = SubmissionsV1.CreateSubmissionRequest()
            request.userId = 1
            request.problemId = problemID
            request.language = "c"
            request.sourceCode = source
            guard let submission = try await submissions.createSubmission(request).submission else { throw BenchError("CreateSubmission returned nothing") }
            ids.append(submission.id)
        }
        var verdicts: [Int64: SubmissionsV1.Verdict] = [:]
        let deadline = ContinuousClock.now + .seconds(600)
        while verdicts.count < ids.count {
            guard ContinuousClock.now < deadline else { throw BenchError("submissions not judged within 10 minutes") }
            for id in ids where verdicts[id] == nil {
                var request = SubmissionsV1.GetSubmissionRequest()
                request.submissionId = id
                if let submission = try await submissions.getSubmission(request).submission, submission.status == .done {
                    verdicts[id] = submission.verdict
                } else {
                    break  // in queue order: the rest are not done either
                }
            }
            if verdicts.count < ids.count { try await Task.sleep(for: .milliseconds(20)) }
        }
        return ids.map { verdicts[$0]! }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return "\(Double(Int(value * 10)) / 10) ms"
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
