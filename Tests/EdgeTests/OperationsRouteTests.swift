import Hummingbird
import HummingbirdTesting
import RPC
import Synchronization
import Testing

@testable import Edge

/// /healthz, /readyz, /metrics on the public port, and what Edge passes to Users.
@Suite struct OperationsRouteTests {
    @Test func healthAndReadiness() async throws {
        try await EdgeHarness().run { client in
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.bodyText == "ok\n")
            // Users applies its migrations at start: readiness follows a moment later.
            var ready = try await client.send(.get, "/readyz")
            for _ in 0..<100 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.send(.get, "/readyz")
            }
            #expect(ready.status == .ok, "\(ready.bodyText)")
            #expect(ready.json["status"] as? String == "SERVING")
            let names = (ready.json["dependencies"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["users", "problems", "submissions", "judge", "redis"])
        }
    }

    @Test func metricsCountRequestsPerRoute() async throws {
        try await EdgeHarness().run { client in
            _ = try await client.send(.get, "/api/v1/users/metrics_probe_nobody")
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.bodyText.contains("http_route=\"/api/v1/users/{username}\""), "\(metrics.bodyText.prefix(2000))")
        }
    }

    @Test func callsCarryRequestIDTraceAndCaller() async throws {
        let harness = try await EdgeHarness()
        let recorder = RecordingTransport(
            base: RPCClient(
                configuration: try RPCClientConfiguration(addresses: harness.services.usersAddress, authenticator: PeerAuthenticator(secret: TestServices.rpcSecret)),
                logger: TestServices.logger
            )
        )
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await harness.run(transport: recorder) { client in
            let (account, access, _) = try await client.signedInUser()
            _ = try await client.send(
                .get, "/api/v1/users/me", token: access,
                headers: [.xRequestID: "meta-check", .traceparent: "00-\(traceID)-00f067aa0ba902b7-01"]
            )
            let metadata = try #require(recorder.last)
            #expect(metadata.requestID == "meta-check")
            #expect(metadata.userID == String(account.id))
            #expect(metadata.userRole == "user")
            let parts = metadata.traceparent?.split(separator: "-") ?? []
            #expect(parts.count == 4 && parts[1] == traceID[...] && parts[2] != "00f067aa0ba902b7")

            // Without a traceparent a new trace starts; anonymous calls carry no user.
            _ = try await client.send(.get, "/api/v1/users/\(account.username)")
            let anonymous = try #require(recorder.last)
            #expect(anonymous.userID == nil && anonymous.userRole == nil)
            #expect(anonymous.traceparent?.hasPrefix("00-") == true && anonymous.traceparent?.contains(traceID) == false)
            #expect(anonymous.requestID?.count == 32)
        }
        await recorder.base.close()
    }
}

/// Passes calls to the real client and keeps the metadata of the last one.
final class RecordingTransport: RPCTransport {
    let base: RPCClient
    private let recorded = Mutex<RPCMetadata?>(nil)

    init(base: RPCClient) { self.base = base }

    var last: RPCMetadata? { self.recorded.withLock { $0 } }

    func call<Request, Response>(_ method: RPCMethod<Request, Response>, _ request: Request, options: RPCCallOptions) async throws -> Response {
        self.recorded.withLock { $0 = options.metadata }
        return try await self.base.call(method, request, options: options)
    }
}
