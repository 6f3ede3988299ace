import Testing

@testable import JudgeCore

/// ICPC and IOI scoring over made-up outcomes.
@Suite struct EngineScoringUnitTests {
    func tests(_ groups: [String], points: Int = 0) -> [TestFile] {
        groups.enumerated().map { TestFile(name: "\($0.offset + 1)", group: $0.element, points: points, inputPath: "/in", answerPath: "/ans") }
    }

    func outcome(_ test: TestFile, _ verdict: Verdict, points: Double = 0) -> TestOutcome {
        TestOutcome(name: test.name, group: test.group, verdict: verdict, points: points)
    }

    /// Judges like the engine: skips what Scoring says to skip.
    func judge(_ spec: ScoringSpec, _ tests: [TestFile], _ verdicts: [Verdict], fractions: [Double]? = nil) -> JudgeResult {
        var scoring = Scoring(spec, tests: tests)
        var next = 0
        for index in tests.indices where !scoring.shouldSkip(index) {
            let fraction = fractions?[next] ?? 0
            scoring.record(index, self.outcome(tests[index], verdicts[next], points: Double(tests[index].points) * fraction), fraction: fraction)
            next += 1
        }
        return scoring.result(compileOutput: "")
    }

    @Test func icpcIsAllOrNothingAndStopsAtTheFirstFailure() {
        let tests = self.tests(["", "", ""])
        let passed = self.judge(.icpc, tests, [.accepted, .accepted, .accepted])
        #expect(passed.verdict == .accepted && passed.score == 1 && passed.maxScore == 1)
        let failed = self.judge(.icpc, tests, [.accepted, .timeLimitExceeded])
        #expect(failed.verdict == .timeLimitExceeded && failed.score == 0)
        #expect(failed.tests.map(\.verdict) == [.accepted, .timeLimitExceeded, .skipped])
    }

    @Test func ioiGroupsScoreWhenAllTheirTestsPassAndTheirDependenciesDid() {
        let spec = ScoringSpec.ioi(groups: [
            .init(name: "samples", points: 0), .init(name: "small", points: 30),
            .init(name: "large", points: 70, dependsOn: ["small"]),
        ])
        let tests = self.tests(["samples", "small", "small", "large", "large", "large"])
        let full = self.judge(spec, tests, Array(repeating: .accepted, count: 6))
        #expect(full.verdict == .accepted && full.score == 100 && full.maxScore == 100)

        // A failure in "large" skips the rest of it and keeps "small".
        let partial = self.judge(spec, tests, [.accepted, .accepted, .accepted, .accepted, .wrongAnswer])
        #expect(partial.score == 30 && partial.verdict == .wrongAnswer)
        #expect(partial.tests.map(\.verdict) == [.accepted, .accepted, .accepted, .accepted, .wrongAnswer, .skipped])

        // A failure in "small" skips the rest of it and "large", which depends on it.
        let failedDependency = self.judge(spec, tests, [.accepted, .runtimeError])
        #expect(failedDependency.score == 0)
        #expect(failedDependency.tests.map(\.verdict) == [.accepted, .runtimeError, .skipped, .skipped, .skipped, .skipped])
    }

    @Test func transitiveAndCyclicDependencies() {
        let spec = ScoringSpec.ioi(groups: [
            .init(name: "a", points: 10), .init(name: "b", points: 20, dependsOn: ["a"]),
            .init(name: "c", points: 30, dependsOn: ["b", "c"]),
        ])
        let tests = self.tests(["a", "b", "c"])
        let result = self.judge(spec, tests, [.wrongAnswer])
        #expect(result.tests.map(\.verdict) == [.wrongAnswer, .skipped, .skipped])
        #expect(result.score == 0 && result.maxScore == 60)
    }

    @Test func partialPointsOfTestsAndGroups() {
        // Per-test points: each test earns points × fraction.
        let tests = self.tests(["", ""], points: 10)
        let perTest = self.judge(.ioi(groups: []), tests, [.wrongAnswer, .accepted], fractions: [0.5, 1])
        #expect(perTest.score == 15 && perTest.maxScore == 20)
        // A group earns its points × its smallest fraction; a partial test does not skip the rest.
        let grouped = self.judge(.ioi(groups: [.init(name: "g", points: 40)]), self.tests(["g", "g"]), [.wrongAnswer, .accepted], fractions: [0.25, 1])
        #expect(grouped.score == 10 && grouped.tests.map(\.verdict) == [.wrongAnswer, .accepted])
    }

    @Test func aSystemErrorStopsJudgingAndWins() {
        let tests = self.tests(["", "", ""])
        let result = self.judge(.ioi(groups: []), tests, [.wrongAnswer, .systemError])
        #expect(result.verdict == .systemError && result.score == 0)
        #expect(result.tests.map(\.verdict) == [.wrongAnswer, .systemError, .skipped])
    }
}
