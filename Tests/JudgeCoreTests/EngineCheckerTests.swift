import Testing

@testable import JudgeCore

/// Checkers through the engine: float tolerance and a testlib-style custom checker.
@Suite struct EngineCheckerTests {
    static let third = [(input: "1 3\n", answer: "0.333333333\n")]

    @Test func floatWithinToleranceIsAccepted() async throws {
        let result = try await EngineFixture.judge(
            "python", "a, b = map(int, input().split())\nprint('%.7f' % (a / b))\n", tests: try TestData.make(Self.third),
            checker: .float(absoluteTolerance: 1e-6, relativeTolerance: 0)
        )
        #expect(result.verdict == .accepted)
    }

    @Test func floatOutsideToleranceIsWrong() async throws {
        let result = try await EngineFixture.judge(
            "python", "print('0.33')\n", tests: try TestData.make(Self.third), checker: .float(absoluteTolerance: 1e-6, relativeTolerance: 1e-6)
        )
        #expect(result.verdict == .wrongAnswer)
        #expect(result.tests[0].checkerMessage == "line 1: expected 0.333333333, found 0.33")
    }

    @Test func exactCheckerSaysPE() async throws {
        let result = try await EngineFixture.judge("python", "print(1)\nprint(2)\n", tests: try TestData.make([("\n", "1 2\n")]), checker: .exact)
        #expect(result.verdict == .presentationError)
    }

    /// testlib protocol: `checker input output answer`; exit 7 with "points X" on stderr.
    static let checker = ProgramSource(language: "c", source: """
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) {
            if (argc != 4) { fprintf(stderr, "usage: checker input output answer\\n"); return 3; }
            FILE *output = fopen(argv[2], "r"), *answer = fopen(argv[3], "r");
            long long found, expected;
            if (!answer || fscanf(answer, "%lld", &expected) != 1) { fprintf(stderr, "bad answer file\\n"); return 3; }
            if (!output || fscanf(output, "%lld", &found) != 1) { fprintf(stderr, "wrong answer: no number\\n"); return 1; }
            if (found == expected) { fprintf(stderr, "ok %lld\\n", found); return 0; }
            if (llabs(found - expected) == 1) { fprintf(stderr, "points 0.5 off by one\\n"); return 7; }
            fprintf(stderr, "wrong answer: expected %lld, found %lld\\n", expected, found);
            return 1;
        }
        """)

    @Test func customCheckerAwardsPartialPoints() async throws {
        let tests = try TestData.make([("2 3\n", "5\n"), ("1 1\n", "2\n"), ("7 7\n", "14\n")], points: 10)
        let result = try await EngineFixture.judge(
            "python", "a, b = map(int, input().split())\nprint(a + b + (1 if a == 1 else 0) + (5 if a == 7 else 0))\n",
            tests: tests, checker: .custom(Self.checker), scoring: .ioi(groups: [])
        )
        #expect(result.tests.map(\.verdict) == [.accepted, .wrongAnswer, .wrongAnswer])
        #expect(result.tests.map(\.points) == [10, 5, 0])
        #expect(result.tests[0].checkerMessage == "ok 5")
        #expect(result.tests[1].checkerMessage == "points 0.5 off by one")
        #expect(result.tests[2].checkerMessage == "wrong answer: expected 14, found 19")
        #expect(result.score == 15 && result.maxScore == 30)
        #expect(result.verdict == .wrongAnswer)
    }

    @Test func brokenCheckerIsASystemError() async throws {
        let broken = ProgramSource(language: "c", source: "int main(void) { return 3; }")
        let result = try await EngineFixture.judge("python", "print(5)\n", tests: try TestData.make([("2 3\n", "5\n")]), checker: .custom(broken))
        #expect(result.verdict == .systemError)
        let uncompilable = ProgramSource(language: "c", source: "int main(void) { return }")
        let second = try await EngineFixture.judge("python", "print(5)\n", tests: try TestData.make([("2 3\n", "5\n")]), checker: .custom(uncompilable))
        #expect(second.verdict == .systemError && second.tests.isEmpty)
    }
}
