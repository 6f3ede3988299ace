import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// Bad input gets a 4xx problem, never a 500 and never a dropped connection.
@Suite struct BadInputTests {
    static let jsonRoutes: [(HTTPRequest.Method, String)] = [
        (.post, "/api/v1/auth/register"), (.post, "/api/v1/auth/login"), (.post, "/api/v1/auth/refresh"),
        (.post, "/api/v1/auth/logout"), (.post, "/auth/login/"), (.post, "/auth/registration/"), (.post, "/auth/token/refresh/"),
    ]

    @Test func malformedJSONIs400() async throws {
        try await EdgeHarness().run { client in
            for (method, path) in Self.jsonRoutes {
                for raw in ["{", "{\"login\": }", "nonsense", "\u{FF}\u{FE}", ""] {
                    let response = try await client.send(method, path, raw: raw)
                    #expect(response.status == .badRequest, "\(path) \(raw.debugDescription)")
                    #expect(response.problemType == "malformed-json", "\(path) \(raw.debugDescription)")
                }
                let array = try await client.send(method, path, raw: "[1, 2]")
                #expect(array.status == .badRequest)
                #expect(array.json["detail"] as? String == "The request body must be a JSON object.")
            }
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await EdgeHarness().run { client in
            for (method, path) in Self.jsonRoutes {
                for contentType in ["text/plain", "application/x-www-form-urlencoded", nil] as [String?] {
                    let response = try await client.send(method, path, raw: "{\"refresh\":\"x\"}", contentType: contentType)
                    #expect(response.status == .unsupportedMediaType, "\(path) \(contentType ?? "none")")
                    #expect(response.problemType == "unsupported-media-type")
                }
            }
            // Parameters and +json media types are JSON too.
            let charset = try await client.send(.post, "/api/v1/auth/logout", raw: "{\"refresh\":\"x\"}", contentType: "application/json; charset=utf-8")
            #expect(charset.status == .noContent)
            let vendor = try await client.send(.post, "/api/v1/auth/logout", raw: "{\"refresh\":\"x\"}", contentType: "application/vnd.algosports+json")
            #expect(vendor.status == .noContent)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await EdgeHarness(["MAX_BODY_BYTES": "1024"]).run { client in
            let big = "{\"refresh\":\"\(String(repeating: "a", count: 4096))\"}"
            for (method, path) in Self.jsonRoutes {
                let response = try await client.send(method, path, raw: big)
                #expect(response.status == .contentTooLarge, "\(path)")
                #expect(response.problemType == "payload-too-large")
            }
            // Just under the limit is read.
            let fits = "{\"refresh\":\"\(String(repeating: "a", count: 900))\"}"
            #expect(try await client.send(.post, "/api/v1/auth/logout", raw: fits).status == .noContent)
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405() async throws {
        try await EdgeHarness().run { client in
            for path in ["/", "/api", "/api/v2/users/me", "/api/v1/users/a/b/c", "/nope?x=1"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.problemType == "not-found")
                #expect(response.json["instance"] as? String == String(path.split(separator: "?")[0]))
            }
            let wrong = try await client.send(.get, "/api/v1/auth/login")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.problemType == "method-not-allowed")
            #expect(wrong.headers[.allow] == "POST, OPTIONS")
            let me = try await client.send(.delete, "/api/v1/users/me")
            #expect(me.status == .methodNotAllowed)
            #expect(me.headers[.allow] == "GET, PATCH, OPTIONS")
            // A plain OPTIONS (not a CORS preflight) lists the methods.
            let options = try await client.send(.options, "/api/v1/users/me")
            #expect(options.status == .noContent)
            #expect(options.headers[.allow] == "GET, PATCH, OPTIONS")
            #expect(try await client.send(.options, "/nope").status == .notFound)
        }
    }

    @Test func problemBodiesFollowRFC9457() async throws {
        try await EdgeHarness().run { client in
            let response = try await client.send(.post, "/api/v1/auth/login", json: ["login": 1], headers: [.xRequestID: "rfc-9457-check"])
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let body = response.json
            #expect(body["type"] as? String == "https://algosports.dev/problems/validation-error")
            #expect(body["title"] as? String == "Validation failed")
            #expect(body["status"] as? Int == 422)
            #expect(body["detail"] as? String != nil)
            #expect(body["instance"] as? String == "/api/v1/auth/login")
            #expect(body["request_id"] as? String == "rfc-9457-check")
            #expect(response.fieldErrors == ["login": "must be a string"])
        }
    }
}
