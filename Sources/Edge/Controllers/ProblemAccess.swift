import AlgoProto
import Hummingbird

/// Loads problems on behalf of a viewer: drafts exist only for their authors and staff, so anyone
/// else gets the same 404 as for a slug that was never used.
struct ProblemAccess: Sendable {
    let problems: ProblemsV1.ProblemsClient
    let upstream: UpstreamOptions

    static let notFound = Problem(.notFound, "No such problem.")

    func load(slug: String, viewer: Caller?, context: EdgeRequestContext) async throws -> ProblemsV1.Problem {
        var call = ProblemsV1.GetProblemRequest()
        call.key = .slug(slug)
        guard let problem = try await self.problems.getProblem(call, options: self.upstream.callOptions(context, caller: viewer)).problem else {
            throw Problem.internalError
        }
        guard Self.maySee(problem, viewer) else { throw Self.notFound }
        return problem
    }

    /// The `{slug}` path segment; nothing longer than a slug could be is sent on.
    static func slug(_ context: EdgeRequestContext) throws -> String {
        guard let slug = context.parameters.get("slug"), (1...64).contains(slug.utf8.count) else { throw Self.notFound }
        return slug
    }

    static func maySee(_ problem: ProblemsV1.Problem, _ viewer: Caller?) -> Bool {
        problem.visibility == .public || mayEdit(problem, viewer)
    }

    /// Staff, and the problem's authors.
    static func mayEdit(_ problem: ProblemsV1.Problem, _ viewer: Caller?) -> Bool {
        guard let viewer else { return false }
        return viewer.isStaff || problem.authorIds.contains(viewer.id)
    }

    /// Loads a problem `caller` must be able to edit: 404 when they cannot see it, 403 when they
    /// can see but not edit it.
    func loadForEditing(slug: String, caller: Caller, context: EdgeRequestContext) async throws -> ProblemsV1.Problem {
        let problem = try await self.load(slug: slug, viewer: caller, context: context)
        guard Self.mayEdit(problem, caller) else { throw Problem(.forbidden, "Only staff and the problem's authors can change it.") }
        return problem
    }
}
