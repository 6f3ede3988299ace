import AlgoProto
import Logging
import NIOPosix
import RPC
import ServiceKit

/// The Problems service: classic problems, their templates and versioned test data.
///
/// Authorization is Edge's job: it calls CreateProblem, UpdateProblem and PutTestData only for
/// staff, and asks ListProblems for PUBLIC problems (plus the caller's own drafts) on behalf of
/// contestants. This service validates data and trusts its authenticated peers.
///
/// Secrets: GetProblem returns the whole problem, wrapper code, custom checker and interactor
/// sources included, because the judge needs them. Edge must strip `templates[].wrapper_code`,
/// `checker.custom_source` and `interactor_source` before showing a problem to anyone but staff.
/// GetTemplates leaves wrappers out unless `include_wrapper` is set (only the judge sets it).
struct ProblemsHandler: ProblemsV1.ProblemsHandler {
    let problems: ProblemStore
    let testData: TestDataStore
    let limits: TestDataLimits

    func createProblem(_ request: ProblemsV1.CreateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateProblemResponse {
        let problem = try Self.validated(request.problem)
        var response = ProblemsV1.CreateProblemResponse()
        response.problem = try await storage { try await self.problems.create(problem) }
        context.logger.info("problem created", metadata: ["problem_id": "\(response.problem?.id ?? 0)", "slug": "\(problem.slug)"])
        return response
    }

    func updateProblem(_ request: ProblemsV1.UpdateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.UpdateProblemResponse {
        guard let id = request.problem?.id, id > 0 else { throw RPCError.invalid("problem.id", "is required") }
        guard request.expectedRevision > 0 else { throw RPCError.invalid("expected_revision", "is required (the revision the editor loaded)") }
        let problem = try Self.validated(request.problem)
        switch try await storage({ try await self.problems.update(problem, expectedRevision: request.expectedRevision) }) {
        case .updated(let updated):
            var response = ProblemsV1.UpdateProblemResponse()
            response.problem = updated
            return response
        case .notFound:
            throw RPCError(.notFound, "no problem with id \(id)")
        case .revisionMismatch(let current):
            throw RPCError(
                .failedPrecondition,
                "problem \(id) is at revision \(current), not \(request.expectedRevision): someone saved it since; reload and edit again"
            )
        }
    }

    func getProblem(_ request: ProblemsV1.GetProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.GetProblemResponse {
        let found: ProblemsV1.Problem?
        switch request.key {
        case .slug(let slug)?: found = try await storage { try await self.problems.find(slug: slug) }
        case .id(let id)?: found = try await storage { try await self.problems.find(id: id) }
        case nil: throw RPCError.invalid("key", "slug or id is required")
        }
        guard let found else { throw RPCError(.notFound, "no such problem") }
        var response = ProblemsV1.GetProblemResponse()
        response.problem = found
        return response
    }

    func listProblems(_ request: ProblemsV1.ListProblemsRequest, context: RPCServerContext) async throws -> ProblemsV1.ListProblemsResponse {
        let page = request.page ?? CommonV1.PageRequest()
        guard let afterID = PageToken.decode(page.pageToken) else {
            throw RPCError.invalid("page.page_token", "is not a token from a previous page")
        }
        guard request.tags.count <= 10 else { throw RPCError.invalid("tags", "at most 10 tags") }
        guard request.query.count <= 200 else { throw RPCError.invalid("query", "must be at most 200 characters long") }
        for (index, difficulty) in request.difficulties.enumerated() where ProblemDocuments.name(difficulty) == nil {
            throw RPCError.invalid("difficulties[\(index)]", "must be EASY, MEDIUM or HARD")
        }
        guard request.visibility == .unspecified || ProblemDocuments.name(request.visibility) != nil else {
            throw RPCError.invalid("visibility", "must be DRAFT, PUBLIC or unspecified")
        }
        let size = PageToken.pageSize(page.pageSize)
        // One more than asked tells whether another page follows.
        var rows = try await storage { try await self.problems.list(request, afterID: afterID, limit: size + 1) }
        var response = ProblemsV1.ListProblemsResponse()
        var info = CommonV1.PageInfo()
        if rows.count > size {
            rows.removeLast(rows.count - size)
            info.nextPageToken = PageToken.encode(lastID: rows[rows.count - 1].id)
        }
        response.problems = rows
        response.page = info
        return response
    }

    func putTestData(_ request: ProblemsV1.PutTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.PutTestDataResponse {
        guard let problem = try await storage({ try await self.problems.find(id: request.problemId) }) else {
            throw RPCError(.notFound, "no problem with id \(request.problemId)")
        }
        let limits = self.limits
        let scoring = problem.scoring ?? ProblemsV1.Scoring()
        let content = request.content
        // Inflating and hashing up to hundreds of MiB must not hold up the event loop.
        let upload = try await NIOThreadPool.singleton.runIfActive { () throws -> TestDataUpload in
            do {
                return try TestDataUpload.prepare(content, limits: limits, scoring: scoring)
            } catch let error as TestDataError {
                throw error.rpcError
            }
        }
        guard let info = try await storage({ try await self.testData.put(problemID: problem.id, upload) }) else {
            throw RPCError(.notFound, "no problem with id \(request.problemId)")
        }
        context.logger.info(
            "test data stored",
            metadata: ["problem_id": "\(problem.id)", "version": "\(info.version)", "tests": "\(info.tests.count)", "bytes": "\(info.totalSize)"]
        )
        var response = ProblemsV1.PutTestDataResponse()
        response.info = info
        return response
    }

    func getTestDataInfo(_ request: ProblemsV1.GetTestDataInfoRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTestDataInfoResponse {
        guard request.version >= 0 else { throw RPCError.invalid("version", "must be 0 (current) or a version number") }
        switch try await storage({ try await self.testData.info(problemID: request.problemId, version: request.version) }) {
        case .found(let info):
            var response = ProblemsV1.GetTestDataInfoResponse()
            response.info = info
            return response
        case .noProblem:
            throw RPCError(.notFound, "no problem with id \(request.problemId)")
        case .noVersion(let version):
            throw RPCError(.notFound, version == 0 ? "problem \(request.problemId) has no test data yet" : "problem \(request.problemId) has no test data version \(version)")
        }
    }

    func downloadTestData(_ request: ProblemsV1.DownloadTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.DownloadTestDataResponse {
        guard request.sha256.utf8.count == 64, request.sha256 == request.sha256.lowercased(), let hash = Hex.decode(request.sha256) else {
            throw RPCError.invalid("sha256", "must be 64 lowercase hex digits")
        }
        guard request.offset >= 0 else { throw RPCError(.outOfRange, "offset \(request.offset) is negative") }
        let length = request.maxLength <= 0 ? TestDataStore.chunkSize : min(Int(request.maxLength), TestDataStore.chunkSize)
        switch try await storage({ try await self.testData.read(sha256: hash, offset: request.offset, length: length) }) {
        case .chunk(let data, let total):
            var response = ProblemsV1.DownloadTestDataResponse()
            response.data = data
            response.totalSize = total
            response.eof = request.offset + Int64(data.count) == total
            return response
        case .notFound:
            throw RPCError(.notFound, "no test file with sha256 \(request.sha256)")
        case .offsetPastEnd(let total):
            throw RPCError(.outOfRange, "offset \(request.offset) is past the end of the file (\(total) bytes)")
        }
    }

    func listLanguages(_ request: ProblemsV1.ListLanguagesRequest, context: RPCServerContext) async throws -> ProblemsV1.ListLanguagesResponse {
        var response = ProblemsV1.ListLanguagesResponse()
        response.languages = Languages.all
        return response
    }

    func getTemplates(_ request: ProblemsV1.GetTemplatesRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTemplatesResponse {
        if !request.language.isEmpty && !Languages.ids.contains(request.language) {
            throw RPCError.invalid("language", "unknown language \"\(request.language)\" (known: \(Languages.idList))")
        }
        guard let problem = try await storage({ try await self.problems.find(id: request.problemId) }) else {
            throw RPCError(.notFound, "no problem with id \(request.problemId)")
        }
        let allowed = problem.allowedLanguages.isEmpty ? Languages.all.map(\.id) : problem.allowedLanguages
        if !request.language.isEmpty && !allowed.contains(request.language) {
            throw RPCError(.notFound, "problem \(problem.id) does not allow \(request.language)")
        }
        let wanted = request.language.isEmpty ? allowed : [request.language]
        var response = ProblemsV1.GetTemplatesResponse()
        // A language without a template of the problem gets the editor's default one, and no wrapper.
        response.templates = wanted.map { id in
            var template = problem.templates.first { $0.language == id } ?? {
                var fallback = ProblemsV1.LanguageTemplate()
                fallback.language = id
                fallback.templateCode = Languages.all.first { $0.id == id }?.defaultTemplate ?? ""
                return fallback
            }()
            if !request.includeWrapper { template.wrapperCode = "" }
            return template
        }
        return response
    }

    // MARK: Helpers

    private static func validated(_ problem: ProblemsV1.Problem?) throws -> ProblemsV1.Problem {
        guard let problem else { throw RPCError.invalid("problem", "is required") }
        let (normalized, violations) = ProblemValidation.normalized(problem)
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        return normalized
    }
}
