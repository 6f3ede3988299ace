import AlgoProto
import Logging
import RPC
import Testing

@testable import Problems

@Suite("Problems: demo seed")
struct DemoSeedTests {
    @Test("seeding creates three public problems with test data, and seeding again changes nothing")
    func idempotent() async throws {
        let service = try await ProblemsFixture.make()
        let logger = Logger(label: "seed-test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await DemoProblems.seed(service.assembly.handler, logger: logger)
        var first: [ProblemsV1.Problem] = []
        for slug in ["a-plus-b", "circle-area", "guess-the-number"] {
            let problem = try await service.get(slug: slug)
            #expect(problem.visibility == .public && problem.authorIds == [1])
            #expect(problem.testDataVersion > 0, "\(slug) has tests")
            first.append(problem)
        }
        #expect(first[0].checker?.kind == .tokens && first[0].templates.map(\.language) == ["cpp", "python"])
        #expect(first[0].templates.allSatisfy { !$0.wrapperCode.isEmpty })
        #expect(first[1].checker?.kind == .float && first[1].checker?.floatAbsTolerance == 1e-6 && first[1].checker?.floatRelTolerance == 1e-6)
        #expect(first[2].interactive && first[2].interactorLanguage == "c" && first[2].interactorSource.contains("MAX_GUESSES 30"))

        var request = ProblemsV1.GetTestDataInfoRequest()
        request.problemId = first[0].id
        #expect(try await service.client.getTestDataInfo(request).info?.tests.count == 5)

        try await DemoProblems.seed(service.assembly.handler, logger: logger)
        for problem in first {
            #expect(try await service.get(slug: problem.slug) == problem, "a second seed leaves \(problem.slug) as it was")
        }
    }
}
