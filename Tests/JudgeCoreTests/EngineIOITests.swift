import Testing

@testable import JudgeCore

/// IOI groups with a dependency, judged for real.
@Suite struct EngineIOITests {
    static let groups = ScoringSpec.ioi(groups: [
        .init(name: "samples", points: 0), .init(name: "small", points: 40),
        .init(name: "large", points: 60, dependsOn: ["small"]),
    ])

    func tests() throws -> [TestFile] {
        try TestData.make([("1 2\n", "3\n")], group: "samples", prefix: "s")
            + TestData.make([("5 6\n", "11\n"), ("100 200\n", "300\n")], group: "small", prefix: "a")
            + TestData.make([("999 1\n", "1000\n"), ("5000 5000\n", "10000\n"), ("100000 1\n", "100001\n")], group: "large", prefix: "b")
    }

    @Test func aSolutionForSmallInputsGetsTheSmallGroup() async throws {
        let source = "a, b = map(int, input().split())\nprint(a + b if a < 1000 else 0)\n"
        let result = try await EngineFixture.judge("python", source, tests: try self.tests(), scoring: Self.groups)
        #expect(result.tests.map(\.verdict) == [.accepted, .accepted, .accepted, .accepted, .wrongAnswer, .skipped])
        #expect(result.score == 40 && result.maxScore == 100)
        #expect(result.verdict == .wrongAnswer)
    }

    @Test func failingADependencySkipsTheGroupsOnIt() async throws {
        let source = "a, b = map(int, input().split())\nprint(a + b if a != 100 else 0)\n"
        let result = try await EngineFixture.judge("python", source, tests: try self.tests(), scoring: Self.groups)
        #expect(result.tests.map(\.verdict) == [.accepted, .accepted, .wrongAnswer, .skipped, .skipped, .skipped])
        #expect(result.score == 0)
    }

    @Test func fullSolutionGetsEverything() async throws {
        let result = try await EngineFixture.judge("python", "a, b = map(int, input().split())\nprint(a + b)\n", tests: try self.tests(), scoring: Self.groups)
        #expect(result.verdict == .accepted && result.score == 100)
    }
}
