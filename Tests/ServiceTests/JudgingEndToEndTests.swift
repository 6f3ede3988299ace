import AlgoProto
import Foundation
import Glibc
import Testing

/// Problems, Submissions and JudgeService as real processes, the real sandbox, the test PostgreSQL
/// and a private Redis: a submission goes in through Submissions and comes out judged.
@Suite("Judging end to end", .serialized)
struct JudgingEndToEndTests {
    static let aPlusB = [("1 2\n", "3\n"), ("-5 5\n", "0\n"), ("1000000000 1000000000\n", "2000000000\n")]
    static let cSolution = """
        #include <stdio.h>
        int main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }
        """

    @Test("AC, WA and CE come back from the judge with per-test results; a second submission downloads no test data")
    func judgesThroughTheQueue() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let problem = try await stack.createProblem(slug: "e2e-aplusb", tests: Self.aPlusB)

            let accepted = try await stack.waitUntilDone(try await stack.submit(problem, language: "c", source: Self.cSolution))
            #expect(accepted.verdict == .ac)
            #expect(accepted.results.count == 3)
            #expect(accepted.results.allSatisfy { $0.verdict == .ac })
            #expect(accepted.maxMemoryKb > 0, "peak memory comes from the cgroup")

            let downloadsBefore = try Self.downloads(try await stack.judgeMetrics())
            let wrong = try await stack.waitUntilDone(try await stack.submit(problem, language: "python", source: "a, b = map(int, input().split())\nprint(a - b)\n"))
            #expect(wrong.verdict == .wa)
            #expect(wrong.results.first?.verdict == .wa)
            #expect(try Self.downloads(try await stack.judgeMetrics()) == downloadsBefore, "test data comes from the judge's disk cache")

            let broken = try await stack.waitUntilDone(try await stack.submit(problem, language: "c", source: "int main(void) { return undefined_name; }"))
            #expect(broken.verdict == .ce)
            #expect(broken.compileOutput.contains("undefined_name"))
            #expect(broken.results.isEmpty)
        }
    }

    @Test("a judge killed in the middle of judging: another judge takes the job over and it ends with exactly one result")
    func killedJudge() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge(claimIdleMilliseconds: 2000)
            let tests = (1...6).map { ("\($0) \($0)\n", "\(2 * $0)\n") }
            let problem = try await stack.createProblem(slug: "e2e-slow", tests: tests, timeLimitMs: 5000)
            // Burns ~0.3 s of CPU per test, so the judge is surely mid-way when it dies.
            let slow = """
                #include <stdio.h>
                int main(void) { volatile unsigned long i; for (i = 0; i < 300000000UL; i++) {} long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); return 0; }
                """
            let id = try await stack.submit(problem, language: "c", source: slow)
            try await stack.waitUntil(id, status: .running)
            stack.killJudge()
            try stack.startJudge(claimIdleMilliseconds: 2000)

            let judged = try await stack.waitUntilDone(id)
            #expect(judged.verdict == .ac)
            #expect(judged.results.map(\.testIndex) == Array(1...6), "one result per test, none twice")
            // Nothing changes afterwards: the first judge's job can never report again.
            try await Task.sleep(for: .seconds(3))
            let later = try await stack.submission(id)
            #expect(later.judgedAtMs == judged.judgedAtMs && later.results.count == 6)
        }
    }

    @Test("submissions created while Redis is down are judged once it is back, though it lost everything")
    func redisOutage() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let problem = try await stack.createProblem(slug: "e2e-outage", tests: Self.aPlusB)
            stack.redis.stop()
            var ids: [Int64] = []
            for _ in 0..<3 { ids.append(try await stack.submit(problem, language: "c", source: Self.cSolution)) }
            try stack.redis.start()
            for id in ids {
                let judged = try await stack.waitUntilDone(id)
                #expect(judged.verdict == .ac, "submission \(id)")
            }
        }
    }

    /// `judge_testdata_downloads_total` from the judge's Prometheus page.
    static func downloads(_ metrics: String) throws -> Int {
        let line = try #require(metrics.split(separator: "\n").first { $0.hasPrefix("judge_testdata_downloads_total") })
        return try #require(Int(line.split(separator: " ").last ?? ""))
    }
}
