import AlgoProto
import RPC

/// Problems as the Problems service has them (Submissions never reads the problems schema).
struct ProblemDirectory: Sendable {
    let client: ProblemsV1.ProblemsClient
    var timeout: Duration = .seconds(5)

    /// The problem, or NOT_FOUND; when Problems cannot answer, UNAVAILABLE (safe to retry).
    func problem(id: Int64) async throws -> ProblemsV1.Problem {
        var request = ProblemsV1.GetProblemRequest()
        request.key = .id(id)
        do {
            guard let problem = try await self.client.getProblem(request, options: RPCCallOptions(timeout: self.timeout)).problem else {
                throw RPCError(.notFound, "no problem with id \(id)")
            }
            return problem
        } catch let error as RPCError {
            throw Self.mapped(error, notFound: "no problem with id \(id)")
        }
    }

    /// What our callers see of a failed call to Problems: its NOT_FOUND as `notFound`, anything
    /// transient as UNAVAILABLE (safe to retry), the rest as INTERNAL.
    static func mapped(_ error: RPCError, notFound: String) -> RPCError {
        switch error.code {
        case .notFound: RPCError(.notFound, notFound)
        case .unavailable, .deadlineExceeded, .cancelled, .resourceExhausted, .aborted:
            RPCError(.unavailable, "the problems service is unavailable; retry")
        default: RPCError(.internal, "the problems service failed")
        }
    }
}

extension ProblemsV1.Problem {
    /// Drafts take submissions from their authors and staff only; to anyone else they do not exist.
    func acceptsSubmissions(from userID: Int64, isStaff: Bool) -> Bool {
        self.visibility == .public || isStaff || self.authorIds.contains(userID)
    }

    /// Empty allowed_languages means every language the judge supports.
    var submissionLanguages: [String] {
        self.allowedLanguages.isEmpty ? StoredCodes.languages : self.allowedLanguages
    }
}
