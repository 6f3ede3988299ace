import AlgoProto
import Logging
import RPC

/// Three public problems for demos and newcomers (PROBLEMS_SEED_DEMO=1): A+B with templates,
/// a float-checked circle area, and an interactive guess-the-number.
///
/// Idempotent and safe for replicas starting together: a problem whose slug exists is left as it
/// is (an operator may have edited it); one left without test data by an interrupted seed gets it.
enum DemoProblems {
    /// The first admin's account id owns the demo problems.
    static let authorID: Int64 = 1

    static func seed(_ handler: ProblemsHandler, logger: Logger) async throws {
        let context = RPCServerContext(
            method: "seed", metadata: RPCMetadata(requestID: "seed-demo"), deadline: nil, remoteAddress: nil, logger: logger
        )
        for demo in all {
            var problem: ProblemsV1.Problem
            var create = ProblemsV1.CreateProblemRequest()
            create.problem = demo.problem
            do {
                problem = try await handler.createProblem(create, context: context).problem ?? demo.problem
                logger.notice("demo problem created", metadata: ["slug": "\(demo.problem.slug)"])
            } catch let error as RPCError where error.code == .alreadyExists {
                var get = ProblemsV1.GetProblemRequest()
                get.key = .slug(demo.problem.slug)
                problem = try await handler.getProblem(get, context: context).problem ?? demo.problem
            }
            guard problem.testDataVersion == 0 else { continue }
            var put = ProblemsV1.PutTestDataRequest()
            put.problemId = problem.id
            var list = ProblemsV1.TestCaseList()
            list.tests = demo.tests.enumerated().map { index, test in
                var testCase = ProblemsV1.TestCase()
                testCase.name = String(index + 1)
                testCase.input = Array(test.input.utf8)
                testCase.answer = Array(test.answer.utf8)
                return testCase
            }
            put.content = .tests(list)
            _ = try await handler.putTestData(put, context: context)
        }
    }

    struct Demo {
        var problem: ProblemsV1.Problem
        var tests: [(input: String, answer: String)]
    }

    static var all: [Demo] { [aPlusB, circleArea, guessTheNumber] }

    static var aPlusB: Demo {
        var problem = base(slug: "a-plus-b", title: "A + B", difficulty: .easy, tags: ["math", "implementation"])
        problem.statementMarkdown = "Given two integers $a$ and $b$, print their sum.\n\nWrite `solution(a, b)`; the platform reads the input and prints what it returns."
        problem.inputFormat = "One line with two integers $a$ and $b$ ($-10^9 \\le a, b \\le 10^9$)."
        problem.outputFormat = "One integer: $a + b$."
        problem.samples = [sample("1 2\n", "3\n"), sample("-5 12\n", "7\n")]
        problem.checker = checker(.tokens)
        problem.templates = [
            template("cpp", DemoProblemSources.aPlusBCppTemplate, DemoProblemSources.aPlusBCppWrapper),
            template("python", DemoProblemSources.aPlusBPythonTemplate, DemoProblemSources.aPlusBPythonWrapper),
        ]
        return Demo(problem: problem, tests: [
            ("1 2\n", "3\n"), ("-5 12\n", "7\n"), ("0 0\n", "0\n"),
            ("1000000000 1000000000\n", "2000000000\n"), ("-1000000000 -999999999\n", "-1999999999\n"),
        ])
    }

    static var circleArea: Demo {
        var problem = base(slug: "circle-area", title: "Circle Area", difficulty: .easy, tags: ["geometry", "math"])
        problem.statementMarkdown = "Print the area of a circle of radius $r$. Answers within $10^{-6}$ (absolute or relative) are accepted."
        problem.inputFormat = "One real number $r$ ($0 \\le r \\le 10^4$)."
        problem.outputFormat = "The area $\\pi r^2$."
        problem.samples = [sample("1\n", "3.141592653589793\n"), sample("2.5\n", "19.634954084936208\n")]
        var float = checker(.float)
        float.floatAbsTolerance = 1e-6
        float.floatRelTolerance = 1e-6
        problem.checker = float
        return Demo(problem: problem, tests: [
            ("1\n", "3.141592653589793\n"), ("2.5\n", "19.634954084936208\n"), ("0\n", "0.000000000000000\n"),
            ("10000\n", "314159265.3589793\n"),
        ])
    }

    static var guessTheNumber: Demo {
        var problem = base(slug: "guess-the-number", title: "Guess the Number", difficulty: .medium, tags: ["interactive", "binary search"])
        problem.statementMarkdown = """
            The judge has picked an integer $x$ with $1 \\le x \\le 10^9$. Find it in at most 30 guesses.

            Print a guess $g$ on its own line and flush. The judge answers `<` when $x < g$, `>` when $x > g$,
            and `=` when $x = g$; stop after `=`.
            """
        problem.inputFormat = "The judge's answers, one per line: `<`, `>` or `=`."
        problem.outputFormat = "Your guesses, one per line, each flushed."
        problem.checker = checker(.tokens)
        problem.interactive = true
        problem.interactorSource = DemoProblemSources.guessInteractor
        problem.interactorLanguage = "c"
        // The test input holds the secret; the interactor decides, so the answer only names it.
        return Demo(problem: problem, tests: [("1\n", "1\n"), ("1000000000\n", "1000000000\n"), ("123456789\n", "123456789\n"), ("536870912\n", "536870912\n")])
    }

    private static func base(slug: String, title: String, difficulty: ProblemsV1.Difficulty, tags: [String]) -> ProblemsV1.Problem {
        var problem = ProblemsV1.Problem()
        problem.slug = slug
        problem.title = title
        problem.difficulty = difficulty
        problem.tags = tags
        problem.timeLimitMs = 1000
        problem.memoryLimitMb = 256
        problem.visibility = .public
        problem.authorIds = [authorID]
        var scoring = ProblemsV1.Scoring()
        scoring.kind = .icpc
        problem.scoring = scoring
        return problem
    }

    private static func sample(_ input: String, _ output: String) -> ProblemsV1.Sample {
        var sample = ProblemsV1.Sample()
        sample.input = input
        sample.output = output
        return sample
    }

    private static func checker(_ kind: ProblemsV1.CheckerKind) -> ProblemsV1.Checker {
        var checker = ProblemsV1.Checker()
        checker.kind = kind
        return checker
    }

    private static func template(_ language: String, _ code: String, _ wrapper: String) -> ProblemsV1.LanguageTemplate {
        var template = ProblemsV1.LanguageTemplate()
        template.language = language
        template.templateCode = code
        template.wrapperCode = wrapper
        return template
    }
}
