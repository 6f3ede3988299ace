import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// The original frontend's dj-rest-auth paths keep working with their bodies.
@Suite struct LegacyAuthRouteTests {
    @Test func registrationSignsInAndChecksBothPasswords() async throws {
        try await EdgeHarness().run { client in
            let username = EdgeHarness.uniqueName("legacy")
            let body: [String: Any] = [
                "username": username, "email": "\(username)@example.test", "password1": "long enough pw", "password2": "long enough pw",
            ]
            let created = try await client.send(.post, "/auth/registration/", json: body)
            #expect(created.status == .created)
            #expect((created.json["access"] as? String)?.isEmpty == false)
            #expect((created.json["refresh"] as? String)?.isEmpty == false)
            #expect((created.json["user"] as? [String: Any])?["username"] as? String == username)

            var mismatch = body
            mismatch["username"] = EdgeHarness.uniqueName("legacy")
            mismatch["password2"] = "something else"
            let refused = try await client.send(.post, "/auth/registration/", json: mismatch)
            #expect(refused.status == .badRequest)
            #expect(refused.problemType == "validation-error")
            #expect(refused.fieldErrors == ["password2": "the two password fields didn't match"])

            var weak = body
            weak["username"] = EdgeHarness.uniqueName("legacy")
            weak["password1"] = "short"
            weak["password2"] = "short"
            let tooShort = try await client.send(.post, "/auth/registration/", json: weak)
            #expect(tooShort.status == .badRequest)
            #expect(tooShort.fieldErrors["password1"] != nil, "\(tooShort.bodyText)")

            let missing = try await client.send(.post, "/auth/registration/", json: ["username": "abc"])
            #expect(missing.status == .badRequest)
            #expect(Set(missing.fieldErrors.keys) == ["email", "password1", "password2"])
        }
    }

    @Test func loginTakesUsernameOrEmail() async throws {
        try await EdgeHarness().run { client in
            let account = try await client.registerUser()
            for body in [
                ["username": account.username, "password": account.password],
                ["email": "\(account.username)@example.test", "password": account.password],
                ["username": "", "email": "\(account.username)@example.test", "password": account.password],
            ] {
                let response = try await client.send(.post, "/auth/login/", json: body)
                #expect(response.status == .ok, "\(body)")
                #expect((response.json["access"] as? String)?.isEmpty == false)
                #expect((response.json["user"] as? [String: Any])?["username"] as? String == account.username)
            }
            let wrong = try await client.send(.post, "/auth/login/", json: ["username": account.username, "password": "nope nope"])
            #expect(wrong.status == .unauthorized)
            let neither = try await client.send(.post, "/auth/login/", json: ["password": "x"])
            #expect(neither.status == .badRequest)
            #expect(neither.fieldErrors["username"] != nil)
            // Without the trailing slash too (the router ignores it).
            #expect(try await client.send(.post, "/auth/login", json: ["username": account.username, "password": account.password]).status == .ok)
        }
    }

    @Test func tokenRefreshReturnsANewAccessToken() async throws {
        try await EdgeHarness().run { client in
            let (_, _, refresh) = try await client.signedInUser()
            let response = try await client.send(.post, "/auth/token/refresh/", json: ["refresh": refresh])
            #expect(response.status == .ok)
            #expect((response.json["access"] as? String)?.isEmpty == false)
            let rotated = response.json["refresh"] as? String ?? ""
            #expect(!rotated.isEmpty && rotated != refresh)
            // Rotation happened server-side: the old token is spent.
            #expect(try await client.send(.post, "/auth/token/refresh/", json: ["refresh": refresh]).status == .unauthorized)
            #expect(try await client.send(.post, "/auth/token/refresh/", json: [:]).status == .badRequest)
        }
    }
}
