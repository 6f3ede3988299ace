import AlgoProto
import Hummingbird
import Logging
import NIOCore
import RPC

/// The admin HTTP port every service has: `/healthz` (the process answers), `/readyz` (its
/// dependencies answer; 503 otherwise) and `/metrics` (Prometheus text format).
public enum AdminServer {
    public static func make(
        host: String,
        port: Int,
        health: HealthService,
        logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/readyz") { _, _ in
            let report = await health.readiness()
            return Response(
                status: report.ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: report.json))
            )
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PrometheusMetrics.render()))
            )
        }
        var adminLogger = logger
        adminLogger[metadataKey: "port"] = "admin"
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: adminLogger
        )
    }
}

extension HealthService {
    /// Readiness for `/readyz`: every dependency answers and the instance is not draining.
    public func readiness() async -> (ready: Bool, json: String) {
        var request = CommonV1.HealthCheckRequest()
        request.checkDependencies = true
        let context = RPCServerContext(
            method: CommonV1.Health.check.path, metadata: RPCMetadata(), deadline: nil, remoteAddress: nil,
            logger: Logger(label: "readyz")
        )
        guard let response = try? await self.check(request, context: context) else {
            return (false, #"{"status":"UNKNOWN"}"#)
        }
        let ready = response.status == .serving
        let dependencies = response.dependencies.map { dependency in
            "{\"name\":\(JSONText.quote(dependency.name)),\"status\":\"\(dependency.status == .serving ? "SERVING" : "NOT_SERVING")\","
                + "\"detail\":\(JSONText.quote(dependency.detail)),\"latency_us\":\(dependency.latencyUs)}"
        }
        let json = "{\"status\":\"\(ready ? "SERVING" : "NOT_SERVING")\",\"service\":\(JSONText.quote(response.service)),"
            + "\"dependencies\":[\(dependencies.joined(separator: ","))]}\n"
        return (ready, json)
    }
}
