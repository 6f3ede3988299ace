import Hummingbird

/// CORS for an allow-list of origins read at start-up (Hummingbird's CORSMiddleware takes its
/// list as variadic arguments, not from configuration). Preflights are answered here; other
/// requests get the headers added when their origin is allowed. Tokens travel in the
/// Authorization header, never cookies, so credentials mode is not needed.
struct CORSAllowListMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    let allowAny: Bool
    let origins: Set<String>
    let maxAgeSeconds = 600
    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, Accept, X-Request-Id, traceparent, tracestate"
    static let exposeHeaders = "X-Request-Id, Retry-After, WWW-Authenticate, Location"

    init(allowedOrigins: [String]) {
        self.allowAny = allowedOrigins.contains("*")
        self.origins = Set(allowedOrigins)
    }

    @concurrent func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = origin != "null" && (self.allowAny || self.origins.contains(origin))
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                return Problem(.forbidden, "Origin \(origin) is not allowed.")
                    .response(instance: request.uri.path, requestID: context.requestID)
            }
            var headers: HTTPFields = [
                .accessControlAllowOrigin: origin,
                .accessControlAllowMethods: Self.allowMethods,
                .accessControlAllowHeaders: Self.allowHeaders,
                .accessControlMaxAge: String(self.maxAgeSeconds),
            ]
            headers[values: .vary] = ["Origin"]
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        }
        response.headers[values: .vary].append("Origin")  // the answer depends on the origin: caches must know
        return response
    }
}
