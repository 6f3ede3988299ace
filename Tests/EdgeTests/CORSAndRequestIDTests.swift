import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

@Suite struct CORSAndRequestIDTests {
    static let allowed = "https://app.algosports.test"

    @Test func preflightFromAnAllowedOrigin() async throws {
        try await EdgeHarness().run { client in
            let response = try await client.send(
                .options, "/api/v1/users/me",
                headers: [.origin: Self.allowed, .accessControlRequestMethod: "PATCH", .accessControlRequestHeaders: "authorization, content-type"]
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(response.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(response.headers[.accessControlMaxAge] == "600")
            #expect(response.headers[.vary] == "Origin")
            #expect(response.headers[.xRequestID] != nil)
        }
    }

    @Test func preflightFromAnotherOriginIsRefused() async throws {
        try await EdgeHarness().run { client in
            for origin in ["https://evil.example", "null", "https://app.algosports.test.evil.example"] {
                let response = try await client.send(
                    .options, "/api/v1/auth/login", headers: [.origin: origin, .accessControlRequestMethod: "POST"]
                )
                #expect(response.status == .forbidden, "\(origin)")
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        // No allow-list configured: nobody is allowed.
        try await EdgeHarness(["CORS_ALLOWED_ORIGINS": ""]).run { client in
            let response = try await client.send(.options, "/api/v1/auth/login", headers: [.origin: Self.allowed, .accessControlRequestMethod: "POST"])
            #expect(response.status == .forbidden)
        }
    }

    @Test func simpleRequestsGetCORSHeadersOnSuccessAndError() async throws {
        try await EdgeHarness().run { client in
            let ok = try await client.send(.get, "/healthz", headers: [.origin: Self.allowed])
            #expect(ok.headers[.accessControlAllowOrigin] == Self.allowed)
            #expect(ok.headers[.accessControlExposeHeaders]?.contains("X-Request-Id") == true)
            let error = try await client.send(.get, "/api/v1/users/me", headers: [.origin: Self.allowed])
            #expect(error.status == .unauthorized)
            #expect(error.headers[.accessControlAllowOrigin] == Self.allowed)
            let other = try await client.send(.get, "/healthz", headers: [.origin: "https://evil.example"])
            #expect(other.status == .ok)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func requestIDIsKeptWhenSaneAndEchoedEverywhere() async throws {
        try await EdgeHarness().run { client in
            let kept = try await client.send(.get, "/healthz", headers: [.xRequestID: "client-id_1.2"])
            #expect(kept.headers[.xRequestID] == "client-id_1.2")

            for insane in [String(repeating: "a", count: 129), "has space", "semi;colon", "ünïcode"] {
                let replaced = try await client.send(.get, "/healthz", headers: [.xRequestID: insane])
                let id = replaced.headers[.xRequestID] ?? ""
                #expect(id != insane && id.count == 32, "\(insane) → \(id)")
            }
            let generated = try await client.send(.get, "/healthz")
            #expect(generated.headers[.xRequestID]?.count == 32)

            // Errors carry it in the header and in the problem body.
            let error = try await client.send(.post, "/api/v1/auth/login", raw: "{", headers: [.xRequestID: "trace-me"])
            #expect(error.headers[.xRequestID] == "trace-me")
            #expect(error.json["request_id"] as? String == "trace-me")
            let notFound = try await client.send(.get, "/missing")
            #expect(notFound.headers[.xRequestID] == notFound.json["request_id"] as? String)
        }
    }
}
