import Hummingbird
import Logging

/// The outermost middleware: gives the request its id and trace context, puts them in every log
/// line, echoes `X-Request-Id` on every response (errors included) and writes the access log.
struct RequestIdentityMiddleware: RouterMiddleware {
    typealias Context = EdgeRequestContext

    @concurrent func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = RequestIdentity.accept(request.headers[.xRequestID]) ?? RequestIdentity.generate()
        let trace = TraceContext.continuing(request.headers[.traceparent])
        context.traceparent = trace.traceparent
        // Our id replaces Hummingbird's, so that a log line carries one id, the one the client sees.
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        context.logger[metadataKey: "trace_id"] = .string(String(trace.traceID))
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ProblemMiddleware renders every error; this only guards against one escaping it.
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            response = Problem.internalError.response(instance: request.uri.path, requestID: context.requestID)
        }
        response.headers[.xRequestID] = context.requestID
        Self.log(request, response, context: context, elapsed: ContinuousClock.now - start)
        return response
    }

    /// One line per request at debug level (LOG_LEVEL=debug turns it on); server errors at error level.
    /// The query string is left out: it may carry tokens.
    private static func log(_ request: Request, _ response: Response, context: Context, elapsed: Duration) {
        let level: Logger.Level = response.status.code >= 500 ? .error : .debug
        guard context.logger.logLevel <= level else { return }
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        context.logger.log(
            level: level,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "route": .string(context.endpointPath ?? "none"),
                "status": .stringConvertible(response.status.code),
                "duration_us": .stringConvertible(micros),
            ]
        )
    }
}
