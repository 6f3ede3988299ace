import Hummingbird
import Logging
import NIOCore
import RPC

/// Turns every error below it into an `application/problem+json` response, so that nothing
/// reaches a client as a bare 500 or as Hummingbird's default error body.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    /// Every documented route, to tell an unknown path (404) from a wrong method (405).
    let routes: [APIOperation]

    @concurrent func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.method == .options {
            // A plain OPTIONS (CORS preflights are answered before routing) lists the methods.
            let allowed = Self.allowedMethods(path: request.uri.path, routes: self.routes)
            guard !allowed.isEmpty else { return self.render(error, request, context) }
            return Response(status: .noContent, headers: [.allow: Self.allowHeader(allowed)])
        } catch {
            return self.render(error, request, context)
        }
    }

    private func render(_ error: any Error, _ request: Request, _ context: Context) -> Response {
        self.problem(for: error, request: request, context: context).response(instance: request.uri.path, requestID: context.requestID)
    }

    func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as RPCError:
            let problem = Problem(error)
            if problem.type == .internal {
                context.logger.error("service call failed", metadata: ["error": "\(error)"])
            } else if problem.status.code >= 500 {
                context.logger.warning("service call failed", metadata: ["error": "\(error)"])
            }
            return problem
        case is NIOTooManyBytesError:
            return Problem(.payloadTooLarge, "The request body is too large.")
        case let error as HTTPError where error.status == .notFound:
            // Hummingbird's router found no responder for this path and method.
            return self.unrouted(request)
        case let error as any HTTPResponseError where error.status.code < 500:
            return Problem(.badRequest, error.status.reasonPhrase, status: error.status)
        default:
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return .internalError
        }
    }

    private func unrouted(_ request: Request) -> Problem {
        let allowed = Self.allowedMethods(path: request.uri.path, routes: self.routes)
        guard !allowed.isEmpty, !allowed.contains(request.method) else {
            return Problem(.notFound, "There is no resource at \(request.uri.path).")
        }
        let allow = Self.allowHeader(allowed)
        return Problem(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(allow).", headers: [.allow: allow])
    }

    private static func allowHeader(_ methods: [HTTPRequest.Method]) -> String {
        (methods + [.options]).map(\.rawValue).joined(separator: ", ")
    }

    /// Methods of the routes whose template matches `path` (`{name}` matches one segment).
    static func allowedMethods(path: String, routes: [APIOperation]) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPRequest.Method] = []
        for route in routes {
            let template = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { pattern, segment in
                pattern.first == "{" || pattern == segment
            }
            if matches, !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods
    }
}
