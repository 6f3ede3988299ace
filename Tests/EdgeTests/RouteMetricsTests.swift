import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Edge

/// Route metrics as /metrics shows them: requests per route and status, durations, server errors.
@Suite struct RouteMetricsTests {
    @Test func countsRequestsDurationsAndServerErrorsPerRoute() async throws {
        PrometheusMetrics.bootstrap()
        let prefix = "/metrics-probe-\(UUID().uuidString.lowercased())"
        let router = Router(context: EdgeRequestContext.self)
        router.add(middleware: RouteMetricsMiddleware())
        router.get("\(prefix)/ok") { _, _ in "fine" }
        router.get("\(prefix)/missing") { _, _ in Response(status: .notFound) }
        router.get("\(prefix)/broken") { _, _ in Response(status: .badGateway) }
        router.get("\(prefix)/thrown") { _, _ -> String in throw HTTPError(.serviceUnavailable) }
        try await Application(router: router).test(.router) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "\(prefix)/ok", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "\(prefix)/missing", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "\(prefix)/broken", method: .get) { #expect($0.status == .badGateway) }
            try await client.execute(uri: "\(prefix)/thrown", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
        let text = String(decoding: PrometheusMetrics.render(), as: UTF8.self)
        func value(_ metric: String, _ route: String, _ status: Int) -> Double? {
            text.split(separator: "\n").first {
                $0.hasPrefix(metric + "{") && $0.contains("http_route=\"\(prefix)\(route)\"")
                    && $0.contains("http_response_status_code=\"\(status)\"")
            }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
        }
        #expect(value("hb_requests", "/ok", 200) == 3)
        #expect(value("http_server_request_duration_count", "/ok", 200) == 3)
        #expect(value("hb_request_errors", "/ok", 200) == 0)
        #expect(value("hb_requests", "/missing", 404) == 1)
        #expect(value("hb_request_errors", "/missing", 404) == 0, "a 4xx is the client's error, not the server's")
        #expect(value("hb_request_errors", "/broken", 502) == 1)
        #expect(value("hb_requests", "/thrown", 503) == 1)
        #expect(value("hb_request_errors", "/thrown", 503) == 1)
    }
}
