import AlgoProto
import RPC

/// A Problems service stand-in with fixed problems, served over real RPC (the real one is built
/// elsewhere); only GetProblem answers.
struct StandInProblems: ProblemsV1.ProblemsHandler {
    let problems: [Int64: ProblemsV1.Problem]

    /// The problems every fixture gets, with ids from `base` so that runs never share them.
    struct Catalog: Sendable {
        let base: Int64
        var aPlusB: Int64 { self.base + 1 }
        /// A draft authored by `draftAuthor`.
        var draft: Int64 { self.base + 2 }
        /// Accepts python only.
        var pythonOnly: Int64 { self.base + 3 }
        /// Has no test data yet.
        var untested: Int64 { self.base + 4 }
        var missing: Int64 { self.base + 99 }
        var draftAuthor: Int64 { self.base + 500 }

        var problems: [Int64: ProblemsV1.Problem] {
            func problem(_ id: Int64, _ slug: String, _ change: (inout ProblemsV1.Problem) -> Void = { _ in }) -> (Int64, ProblemsV1.Problem) {
                var problem = ProblemsV1.Problem()
                problem.id = id
                problem.slug = slug
                problem.title = slug
                problem.visibility = .public
                problem.testDataVersion = 3
                change(&problem)
                return (id, problem)
            }
            return Dictionary(uniqueKeysWithValues: [
                problem(self.aPlusB, "a-plus-b-\(self.base)"),
                problem(self.draft, "draft-\(self.base)") {
                    $0.visibility = .draft
                    $0.authorIds = [self.draftAuthor]
                },
                problem(self.pythonOnly, "python-only-\(self.base)") { $0.allowedLanguages = ["python"] },
                problem(self.untested, "untested-\(self.base)") { $0.testDataVersion = 0 },
            ])
        }
    }

    func getProblem(_ request: ProblemsV1.GetProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.GetProblemResponse {
        guard case .id(let id)? = request.key, let problem = self.problems[id] else {
            throw RPCError(.notFound, "no such problem")
        }
        var response = ProblemsV1.GetProblemResponse()
        response.problem = problem
        return response
    }

    func createProblem(_ request: ProblemsV1.CreateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.CreateProblemResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func updateProblem(_ request: ProblemsV1.UpdateProblemRequest, context: RPCServerContext) async throws -> ProblemsV1.UpdateProblemResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func listProblems(_ request: ProblemsV1.ListProblemsRequest, context: RPCServerContext) async throws -> ProblemsV1.ListProblemsResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func putTestData(_ request: ProblemsV1.PutTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.PutTestDataResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func getTestDataInfo(_ request: ProblemsV1.GetTestDataInfoRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTestDataInfoResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func downloadTestData(_ request: ProblemsV1.DownloadTestDataRequest, context: RPCServerContext) async throws -> ProblemsV1.DownloadTestDataResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func listLanguages(_ request: ProblemsV1.ListLanguagesRequest, context: RPCServerContext) async throws -> ProblemsV1.ListLanguagesResponse {
        throw RPCError(.unimplemented, "stand-in")
    }

    func getTemplates(_ request: ProblemsV1.GetTemplatesRequest, context: RPCServerContext) async throws -> ProblemsV1.GetTemplatesResponse {
        throw RPCError(.unimplemented, "stand-in")
    }
}
