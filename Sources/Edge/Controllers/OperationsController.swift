import Hummingbird
import ServiceKit

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json` on the public port (the admin port has
/// the first three as well, for probes that must not go through the public load balancer).
struct OperationsController: Sendable {
    let health: HealthService
    /// Rendered once: the document is the same for the life of the process.
    let openAPIDocument: ByteBuffer

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.healthz) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.on(.readyz) { _, _ in
            let report = await self.health.readiness()
            var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
            if !report.ready { headers[.retryAfter] = "1" }
            return Response(
                status: report.ready ? .ok : .serviceUnavailable, headers: headers, body: .init(byteBuffer: ByteBuffer(string: report.json))
            )
        }
        router.on(.metrics) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PrometheusMetrics.render()))
            )
        }
        router.on(.openAPI) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: self.openAPIDocument))
        }
    }
}
