/// Which tests to run and what they are worth.
///
/// ICPC: all or nothing. Judging stops at the first test that is not AC (the rest are SKIPPED);
/// the score is 1 of a maxScore of 1 when every test passes, else 0.
///
/// IOI: a group earns its points times the smallest fraction its tests earned (1 for AC, a custom
/// checker's fraction for partial points, 0 otherwise), and only when every group it depends on
/// (transitively) passed in full. Tests of a group whose dependency failed, and tests of a group
/// after one of them earned nothing, are SKIPPED. A test's own `points` add up independently
/// (points × fraction). maxScore is the sum of group and test points. Tests are judged in request
/// order, so a group's dependencies should come before it.
///
/// A system error anywhere stops judging: the whole result is SE and JudgeService retries it.
struct Scoring {
    private let spec: ScoringSpec
    private let tests: [TestFile]
    private var outcomes: [TestOutcome?]
    /// What each judged test earned: 1 for AC, a checker's fraction, else 0.
    private var fractions: [Double]
    private let groups: [String: TestGroupSpec]

    init(_ spec: ScoringSpec, tests: [TestFile]) {
        self.spec = spec
        self.tests = tests
        self.outcomes = Array(repeating: nil, count: tests.count)
        self.fractions = Array(repeating: 0, count: tests.count)
        if case .ioi(let groups) = spec {
            self.groups = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        } else {
            self.groups = [:]
        }
    }

    var maxScore: Double {
        switch self.spec {
        case .icpc: 1
        case .ioi(let groups): Double(groups.reduce(0) { $0 + $1.points } + self.tests.reduce(0) { $0 + $1.points })
        }
    }

    private var judged: [TestOutcome] { self.outcomes.compactMap { $0 } }

    /// Whether the test at `index` should be skipped given what was judged so far.
    func shouldSkip(_ index: Int) -> Bool {
        if self.judged.contains(where: { $0.verdict == .systemError }) { return true }
        switch self.spec {
        case .icpc:
            return self.judged.contains { $0.verdict != .accepted }
        case .ioi:
            let group = self.tests[index].group
            guard self.groups[group] != nil else { return false }
            let groupFailed = self.tests.indices.contains {
                self.tests[$0].group == group && self.outcomes[$0].map { $0.verdict != .accepted } == true && self.fractions[$0] == 0
            }
            if groupFailed { return true }
            return self.dependencies(of: group).contains { self.hasFailure($0) }
        }
    }

    mutating func record(_ index: Int, _ outcome: TestOutcome, fraction: Double) {
        self.outcomes[index] = outcome
        self.fractions[index] = outcome.verdict == .accepted ? 1 : fraction
    }

    func result(compileOutput: String) -> JudgeResult {
        let tests = self.tests.indices.map { index in
            self.outcomes[index] ?? TestOutcome(name: self.tests[index].name, group: self.tests[index].group, verdict: .skipped)
        }
        let verdict: Verdict
        if tests.contains(where: { $0.verdict == .systemError }) {
            verdict = .systemError
        } else {
            verdict = tests.first { $0.verdict != .accepted && $0.verdict != .skipped }?.verdict ?? .accepted
        }
        return JudgeResult(verdict: verdict, score: self.score(tests, verdict: verdict), maxScore: self.maxScore, compileOutput: compileOutput, tests: tests)
    }

    private func score(_ tests: [TestOutcome], verdict: Verdict) -> Double {
        switch self.spec {
        case .icpc:
            return verdict == .accepted ? 1 : 0
        case .ioi(let groups):
            if verdict == .systemError { return 0 }
            var score = tests.reduce(0) { $0 + $1.points }
            for group in groups {
                let members = self.tests.indices.filter { self.tests[$0].group == group.name }
                guard !members.isEmpty, !self.dependencies(of: group.name).contains(where: { !self.passed($0) }) else { continue }
                score += Double(group.points) * (members.map { self.outcomes[$0] == nil ? 0 : self.fractions[$0] }.min() ?? 0)
            }
            return score
        }
    }

    private func hasFailure(_ group: String) -> Bool {
        self.judged.contains { $0.group == group && $0.verdict != .accepted }
    }

    /// Every test of the group judged AC (none skipped).
    private func passed(_ group: String) -> Bool {
        let indices = self.tests.indices.filter { self.tests[$0].group == group }
        return !indices.isEmpty && indices.allSatisfy { self.outcomes[$0]?.verdict == .accepted }
    }

    /// Transitive, cycle-safe; unknown group names are ignored.
    private func dependencies(of group: String) -> [String] {
        var seen: Set<String> = [group]
        var stack = self.groups[group]?.dependsOn ?? []
        var result: [String] = []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted, let spec = self.groups[next] else { continue }
            result.append(next)
            stack.append(contentsOf: spec.dependsOn)
        }
        return result
    }
}
