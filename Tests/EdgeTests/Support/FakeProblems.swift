import AlgoProto
import Foundation
import RPC
import Synchronization

/// Problems as an in-memory stand-in (the real service lives in another branch): enough behaviour
/// for Edge's routes, with the real RPC contract (statuses, field violations, pages) over a real server.
final class FakeProblems: ProblemsV1.ProblemsHandler {
    struct State {
        var problems: [Int64: ProblemsV1.Problem] = [:]
        var nextID: Int64 = 1
        var lastList: ProblemsV1.ListProblemsRequest?
        var uploads: [Int64: ProblemsV1.PutTestDataRequest] = [:]
        /// Slugs whose next update finds that another editor saved just before (a lost race).
        var raceOnNextUpdate: Set<String> = []
    }

    let state = Mutex(State())

    static func invalid(_ field: String, _ description: String, code: RPCStatusCode = .invalidArgument) -> RPCError {
        var details = CommonV1.ErrorDetails()
        var violation = CommonV1.FieldViolation()
        violation.field = field
        violation.description = description
        details.fieldViolations = [violation]
        return RPCError(code, "\(field) \(description)", details: details.serializedBytes())
    }

    func problem(slug: String) -> ProblemsV1.Problem? {
        self.state.withLock { state in state.problems.values.first { $0.slug == slug } }
    }

    func createProblem(_ request: ProblemsV1.CreateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateProblemResponse {
        var problem = request.problem ?? .init()
        guard problem.slug.range(of: "^[a-z0-9-]{3,64}$", options: .regularExpression) != nil else {
            throw Self.invalid("slug", "must be 3-64 characters of a-z, 0-9 and -")
        }
        guard (100...15_000).contains(problem.timeLimitMs) else { throw Self.invalid("time_limit_ms", "must be from 100 to 15000") }
        return try self.state.withLock { state in
            guard !state.problems.values.contains(where: { $0.slug == problem.slug }) else {
                throw Self.invalid("slug", "is taken", code: .alreadyExists)
            }
            problem.id = state.nextID
            state.nextID += 1
            problem.revision = 1
            problem.createdAtMs = 1_700_000_000_000
            problem.updatedAtMs = problem.createdAtMs
            state.problems[problem.id] = problem
            var response = ProblemsV1.CreateProblemResponse()
            response.problem = problem
            return response
        }
    }

    func updateProblem(_ request: ProblemsV1.UpdateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.UpdateProblemResponse {
        var problem = request.problem ?? .init()
        return try self.state.withLock { state in
            guard var stored = state.problems[problem.id] else { throw RPCError(.notFound, "no such problem") }
            if state.raceOnNextUpdate.remove(stored.slug) != nil {
                stored.revision += 1
                state.problems[problem.id] = stored
            }
            guard stored.revision == request.expectedRevision else { throw RPCError(.failedPrecondition, "the problem was saved since revision \(request.expectedRevision)") }
            problem.revision = stored.revision + 1
            problem.createdAtMs = stored.createdAtMs
            problem.updatedAtMs = stored.updatedAtMs + 1000
            problem.testDataVersion = stored.testDataVersion
            state.problems[problem.id] = problem
            var response = ProblemsV1.UpdateProblemResponse()
            response.problem = problem
            return response
        }
    }

    func getProblem(_ request: ProblemsV1.GetProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.GetProblemResponse {
        let found = self.state.withLock { state -> ProblemsV1.Problem? in
            switch request.key {
            case .slug(let slug): state.problems.values.first { $0.slug == slug }
            case .id(let id): state.problems[id]
            case nil: nil
            }
        }
        guard let found else { throw RPCError(.notFound, "no such problem") }
        var response = ProblemsV1.GetProblemResponse()
        response.problem = found
        return response
    }

    /// Pages by id; the token is the last id of the previous page.
    func listProblems(_ request: ProblemsV1.ListProblemsRequest, context: RPCServerContext) async throws -> ProblemsV1.ListProblemsResponse {
        let after = Int64(request.page?.pageToken ?? "") ?? 0
        let size = Int(request.page?.pageSize ?? 0) > 0 ? Int(request.page!.pageSize) : 20
        let matches = self.state.withLock { state -> [ProblemsV1.Problem] in
            state.lastList = request
            return state.problems.values.sorted { $0.id < $1.id }.filter { problem in
                let visible: Bool
                switch request.visibility {
                case .public:
                    visible = problem.visibility == .public
                        || (request.includeDraftsOf != 0 && problem.authorIds.contains(request.includeDraftsOf))
                case .unspecified: visible = true
                default: visible = problem.visibility == request.visibility
                }
                let query = request.query.lowercased()
                return visible && problem.id > after
                    && request.tags.allSatisfy(problem.tags.contains)
                    && (request.difficulties.isEmpty || request.difficulties.contains(problem.difficulty))
                    && (query.isEmpty || problem.slug.contains(query) || problem.title.lowercased().contains(query))
                    && (request.authorId == 0 || problem.authorIds.contains(request.authorId))
            }
        }
        var response = ProblemsV1.ListProblemsResponse()
        response.problems = matches.prefix(size).map { problem in
            var summary = ProblemsV1.ProblemSummary()
            summary.id = problem.id
            summary.slug = problem.slug
            summary.title = problem.title
            summary.tags = problem.tags
            summary.difficulty = problem.difficulty
            summary.visibility = problem.visibility
            return summary
        }
        var page = CommonV1.PageInfo()
        if matches.count > size, let last = response.problems.last { page.nextPageToken = String(last.id) }
        response.page = page
        return response
    }

    /// A zip must start with "PK"; JSON tests are described as stored. Each upload is a new version.
    func putTestData(_ request: ProblemsV1.PutTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.PutTestDataResponse {
        var info = ProblemsV1.TestDataInfo()
        info.problemId = request.problemId
        switch request.content {
        case .zip(let bytes):
            guard bytes.starts(with: Array("PK".utf8)) else { throw Self.invalid("zip", "is not a zip archive") }
            guard bytes.count <= 1 << 20 else { throw RPCError(.resourceExhausted, "test data exceeds the 1048576-byte limit") }
            var file = ProblemsV1.TestFileInfo()
            file.name = "1"
            file.inputSize = Int64(bytes.count)
            info.tests = [file]
            info.totalSize = Int64(bytes.count)
        case .tests(let list):
            info.tests = list.tests.map { test in
                var file = ProblemsV1.TestFileInfo()
                file.name = test.name
                file.group = test.group
                file.points = test.points
                file.inputSize = Int64(test.input.count)
                file.answerSize = Int64(test.answer.count)
                return file
            }
            info.totalSize = info.tests.reduce(0) { $0 + $1.inputSize + $1.answerSize }
        case nil:
            throw Self.invalid("content", "is required")
        }
        return try self.state.withLock { state in
            guard state.problems[request.problemId] != nil else { throw RPCError(.notFound, "no such problem") }
            state.problems[request.problemId]!.testDataVersion += 1
            info.version = state.problems[request.problemId]!.testDataVersion
            info.createdAtMs = 1_700_000_000_000
            state.uploads[request.problemId] = request
            var response = ProblemsV1.PutTestDataResponse()
            response.info = info
            return response
        }
    }

    func getTestDataInfo(_ request: ProblemsV1.GetTestDataInfoRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTestDataInfoResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func downloadTestData(_ request: ProblemsV1.DownloadTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.DownloadTestDataResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }

    func listLanguages(_ request: ProblemsV1.ListLanguagesRequest, context: RPCServerContext) async throws -> ProblemsV1.ListLanguagesResponse {
        var response = ProblemsV1.ListLanguagesResponse()
        response.languages = [("c", "C", "GCC 12.2"), ("python", "Python", "CPython 3.11")].map { id, name, version in
            var language = ProblemsV1.ProgrammingLanguage()
            language.id = id
            language.name = name
            language.version = version
            language.defaultTemplate = "// \(name)\n"
            return language
        }
        return response
    }

    func getTemplates(_ request: ProblemsV1.GetTemplatesRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTemplatesResponse {
        throw RPCError(.unimplemented, "not in the fake")
    }
}
