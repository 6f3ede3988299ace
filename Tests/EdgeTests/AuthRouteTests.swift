import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Edge

/// /api/v1/auth through a live Edge and the real Users service.
@Suite struct AuthRouteTests {
    @Test func registerCreatesAnAccountAndHidesNothingFromItsOwner() async throws {
        try await EdgeHarness().run { client in
            let username = EdgeHarness.uniqueName()
            let response = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["username": username, "email": "\(username)@example.test", "password": "long enough pw", "display_name": "Ann"]
            )
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.location] == "/api/v1/users/\(username)")
            let user = response.json
            #expect(user["username"] as? String == username)
            #expect(user["email"] as? String == "\(username)@example.test")
            #expect(user["role"] as? String == "user")
            #expect(user["display_name"] as? String == "Ann")
            #expect(user["bio"] as? String == "")
            #expect((user["id"] as? Int ?? 0) > 0)
            let joined = user["joined_at"] as? String ?? ""
            #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: joined) != nil, "joined_at \(joined)")
            #expect(user["password"] == nil)
        }
    }

    @Test func registerRejectsBadFieldsWithFieldErrors() async throws {
        try await EdgeHarness().run { client in
            let missing = try await client.send(.post, "/api/v1/auth/register", json: ["username": "abc"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.problemType == "validation-error")
            #expect(missing.fieldErrors.keys.sorted() == ["email", "password"])

            let invalid = try await client.send(
                .post, "/api/v1/auth/register", json: ["username": "x!", "email": "not-an-email", "password": "short"]
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.fieldErrors.keys) == ["username", "email", "password"])

            let wrongType = try await client.send(.post, "/api/v1/auth/register", json: ["username": 42, "email": "a@b.c", "password": "x"])
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.fieldErrors["username"] == "must be a string")
        }
    }

    @Test func registerTwiceIsAConflictNamingTheField() async throws {
        try await EdgeHarness().run { client in
            let account = try await client.registerUser()
            let again = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["username": account.username.uppercased(), "email": "other-\(account.username)@example.test", "password": "long enough pw"]
            )
            #expect(again.status == .conflict)
            #expect(again.problemType == "conflict")
            #expect(again.fieldErrors["username"] != nil)

            let sameEmail = try await client.send(
                .post, "/api/v1/auth/register",
                json: ["username": EdgeHarness.uniqueName(), "email": "\(account.username)@example.test", "password": "long enough pw"]
            )
            #expect(sameEmail.status == .conflict)
            #expect(sameEmail.fieldErrors["email"] != nil)
        }
    }

    @Test func loginByUsernameOrEmail() async throws {
        try await EdgeHarness().run { client in
            let account = try await client.registerUser()
            for login in [account.username, "\(account.username)@example.test", account.username.uppercased()] {
                let response = try await client.send(.post, "/api/v1/auth/login", json: ["login": login, "password": account.password])
                #expect(response.status == .ok, "\(login): \(response.bodyText)")
                #expect((response.json["access"] as? String)?.split(separator: ".").count == 3)
                #expect((response.json["refresh"] as? String)?.isEmpty == false)
                let user = response.json["user"] as? [String: Any]
                #expect(user?["username"] as? String == account.username)
                #expect(user?["email"] as? String == "\(account.username)@example.test")
            }
        }
    }

    @Test func loginFailuresAre401WithAChallenge() async throws {
        try await EdgeHarness().run { client in
            let account = try await client.registerUser()
            for body in [["login": account.username, "password": "wrong password"], ["login": "nobody_\(account.username)", "password": "whatever1"]] {
                let response = try await client.send(.post, "/api/v1/auth/login", json: body)
                #expect(response.status == .unauthorized)
                #expect(response.problemType == "unauthenticated")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.json["detail"] as? String == "wrong login or password")
            }
            let missing = try await client.send(.post, "/api/v1/auth/login", json: ["login": ""])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors.keys.sorted() == ["login", "password"])
            let long = try await client.send(.post, "/api/v1/auth/login", json: ["login": String(repeating: "a", count: 300), "password": "x"])
            #expect(long.status == .unprocessableContent)
            #expect(long.fieldErrors["login"] == "must be at most 254 bytes long")
        }
    }

    @Test func refreshRotatesAndReuseRevokesTheFamily() async throws {
        try await EdgeHarness().run { client in
            let (_, _, refresh1) = try await client.signedInUser()
            let rotated = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh": refresh1])
            #expect(rotated.status == .ok)
            let refresh2 = rotated.json["refresh"] as? String ?? ""
            #expect(!refresh2.isEmpty && refresh2 != refresh1)
            #expect((rotated.json["access"] as? String)?.isEmpty == false)

            // The spent token comes back (stolen?): refused, and the whole family is revoked.
            let reuse = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh": refresh1])
            #expect(reuse.status == .unauthorized)
            #expect(reuse.problemType == "unauthenticated")
            let afterReuse = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh": refresh2])
            #expect(afterReuse.status == .unauthorized)

            let unknown = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh": "not-a-token"])
            #expect(unknown.status == .unauthorized)
            let missing = try await client.send(.post, "/api/v1/auth/refresh", json: [:])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors["refresh"] == "is required")
        }
    }

    @Test func logoutRevokesTheRefreshToken() async throws {
        try await EdgeHarness().run { client in
            let (_, _, refresh) = try await client.signedInUser()
            let logout = try await client.send(.post, "/api/v1/auth/logout", json: ["refresh": refresh])
            #expect(logout.status == .noContent)
            #expect(logout.body.readableBytes == 0)
            let refreshAfter = try await client.send(.post, "/api/v1/auth/refresh", json: ["refresh": refresh])
            #expect(refreshAfter.status == .unauthorized)
            // Logging out twice is not an error.
            #expect(try await client.send(.post, "/api/v1/auth/logout", json: ["refresh": refresh]).status == .noContent)
            #expect(try await client.send(.post, "/api/v1/auth/logout", json: [:]).status == .unprocessableContent)
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractionalSeconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
