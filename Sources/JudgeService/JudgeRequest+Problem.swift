import AlgoProto
import JudgeCore

extension JudgeRequest {
    /// The engine's view of a submission to a problem, with the test files already local.
    init(
        submission: SubmissionsV1.Submission, problem: ProblemsV1.Problem, wrapper: String?,
        tests: [ProblemsV1.TestFileInfo], paths: [(input: String, answer: String)]
    ) {
        self.init(
            language: submission.language,
            source: submission.sourceCode,
            wrapper: wrapper.flatMap { $0.isEmpty ? nil : $0 },
            timeLimitMilliseconds: Int(problem.timeLimitMs),
            memoryLimitMegabytes: Int(problem.memoryLimitMb),
            checker: CheckerSpec(problem.checker),
            interactor: problem.interactive ? ProgramSource(language: problem.interactorLanguage, source: problem.interactorSource) : nil,
            scoring: ScoringSpec(problem.scoring),
            tests: zip(tests, paths).map { test, path in
                TestFile(name: test.name, group: test.group, points: Int(test.points), inputPath: path.input, answerPath: path.answer)
            }
        )
    }
}

extension CheckerSpec {
    init(_ checker: ProblemsV1.Checker?) {
        guard let checker else {
            self = .tokens
            return
        }
        switch checker.kind {
        case .exact: self = .exact
        case .float: self = .float(absoluteTolerance: checker.floatAbsTolerance, relativeTolerance: checker.floatRelTolerance)
        case .custom: self = .custom(ProgramSource(language: checker.customLanguage, source: checker.customSource))
        default: self = .tokens
        }
    }
}

extension ScoringSpec {
    init(_ scoring: ProblemsV1.Scoring?) {
        guard let scoring, scoring.kind == .ioi else {
            self = .icpc
            return
        }
        self = .ioi(groups: scoring.groups.map { TestGroupSpec(name: $0.name, points: Int($0.points), dependsOn: $0.dependsOn) })
    }
}

extension SubmissionsV1.Verdict {
    init(_ verdict: Verdict) {
        switch verdict {
        case .accepted: self = .ac
        case .wrongAnswer: self = .wa
        case .presentationError: self = .pe
        case .timeLimitExceeded: self = .tle
        case .memoryLimitExceeded: self = .mle
        case .outputLimitExceeded: self = .ole
        case .runtimeError: self = .re
        case .securityViolation: self = .sv
        case .compilationError: self = .ce
        case .systemError: self = .se
        case .skipped: self = .skipped
        }
    }
}

extension SubmissionsV1.CompleteJudgingRequest {
    init(job: JudgeV1.JudgeJob, result: JudgeResult, testDataVersion: Int64, worker: String) {
        self.init()
        self.submissionId = job.submissionId
        self.jobId = job.jobId
        self.verdict = SubmissionsV1.Verdict(result.verdict)
        self.score = result.score
        self.maxScore = result.maxScore
        self.compileOutput = result.compileOutput
        self.testDataVersion = testDataVersion
        self.judgeWorker = worker
        self.results = result.tests.enumerated().map { index, test in
            var out = SubmissionsV1.TestResult()
            out.testIndex = Int32(index + 1)
            out.testName = test.name
            out.group = test.group
            out.verdict = SubmissionsV1.Verdict(test.verdict)
            out.cpuTimeMs = Int32(clamping: test.cpuTimeMilliseconds)
            out.wallTimeMs = Int32(clamping: test.wallTimeMilliseconds)
            out.memoryKb = Int64(test.memoryKilobytes)
            out.checkerMessage = test.checkerMessage
            out.points = test.points
            out.exitCode = test.signal.map { -$0 } ?? test.exitCode
            return out
        }
    }
}
