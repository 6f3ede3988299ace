import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Edge

/// /api/v1/users: the caller's own account, public profiles, roles, and access tokens.
@Suite struct UsersRouteTests {
    @Test func meNeedsAValidToken() async throws {
        try await EdgeHarness().run { client in
            let (account, access, _) = try await client.signedInUser()
            let me = try await client.send(.get, "/api/v1/users/me", token: access)
            #expect(me.status == .ok)
            #expect(me.json["username"] as? String == account.username)
            #expect(me.json["email"] as? String == "\(account.username)@example.test")

            let anonymous = try await client.send(.get, "/api/v1/users/me")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.problemType == "unauthenticated")
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer realm=\"algosports\"")

            for header in ["Bearer not.a.token", "Basic dXNlcjpwYXNz", "Bearer", "Bearer \(access)x"] {
                let bad = try await client.send(.get, "/api/v1/users/me", headers: [.authorization: header])
                #expect(bad.status == .unauthorized, "\(header)")
                #expect(bad.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true, "\(header)")
            }
        }
    }

    @Test func expiredAndForeignTokensAreRefused() async throws {
        let harness = try await EdgeHarness()
        let now = WallClock.nowSeconds()
        try await harness.run { client in
            let (account, _, _) = try await client.signedInUser()
            let expired = harness.services.signer.sign(
                AccessTokenClaims(userID: Int64(account.id), username: account.username, role: "user", issuedAt: now - 7200, expiresAt: now - 3600)
            )
            let response = try await client.send(.get, "/api/v1/users/me", token: expired)
            #expect(response.status == .unauthorized)
            #expect(response.json["detail"] as? String == "The access token is not valid: token expired.")
            #expect(response.headers[.wwwAuthenticate]?.contains("token expired") == true)

            // Signed by another key (someone else's Users): the signature check fails.
            let foreign = try AccessTokenSigner(seed: [UInt8](repeating: 7, count: 32)).sign(
                AccessTokenClaims(userID: Int64(account.id), username: account.username, role: "admin", issuedAt: now, expiresAt: now + 600)
            )
            #expect(try await client.send(.get, "/api/v1/users/me", token: foreign).status == .unauthorized)

            // A valid token of ours still works at the same moment.
            let valid = harness.services.signer.sign(
                AccessTokenClaims(userID: Int64(account.id), username: account.username, role: "user", issuedAt: now, expiresAt: now + 600)
            )
            #expect(try await client.send(.get, "/api/v1/users/me", token: valid).status == .ok)
        }
    }

    @Test func patchMeChangesOnlyTheFieldsSent() async throws {
        try await EdgeHarness().run { client in
            let (account, access, _) = try await client.signedInUser()
            let first = try await client.send(.patch, "/api/v1/users/me", json: ["display_name": "Ada", "bio": "hi"], token: access)
            #expect(first.status == .ok)
            #expect(first.json["display_name"] as? String == "Ada")
            #expect(first.json["bio"] as? String == "hi")

            let second = try await client.send(.patch, "/api/v1/users/me", json: ["preferred_language": "cpp17", "bio": NSNull()], token: access)
            #expect(second.status == .ok)
            #expect(second.json["display_name"] as? String == "Ada")
            #expect(second.json["bio"] as? String == "hi")
            #expect(second.json["preferred_language"] as? String == "cpp17")

            let newEmail = "new-\(account.username)@example.test"
            let email = try await client.send(.patch, "/api/v1/users/me", json: ["email": newEmail], token: access)
            #expect(email.json["email"] as? String == newEmail)

            let invalid = try await client.send(
                .patch, "/api/v1/users/me", json: ["email": "nope", "display_name": String(repeating: "x", count: 65)], token: access
            )
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.fieldErrors.keys) == ["email", "display_name"])

            let anonymous = try await client.send(.patch, "/api/v1/users/me", json: ["bio": "x"])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func nobodyCanPatchSomeoneElse() async throws {
        try await EdgeHarness().run { client in
            let victim = try await client.registerUser()
            let (_, access, _) = try await client.signedInUser()
            // There is no route naming another account to change: 405, not a silent success.
            let response = try await client.send(.patch, "/api/v1/users/\(victim.username)", json: ["bio": "owned"], token: access)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, OPTIONS")
            let profile = try await client.send(.get, "/api/v1/users/\(victim.username)")
            #expect(profile.json["bio"] as? String == "")
        }
    }

    @Test func publicProfilesShowTheEmailOnlyToItsOwnerAndAdmins() async throws {
        try await EdgeHarness().run { client in
            let target = try await client.registerUser()
            let anonymous = try await client.send(.get, "/api/v1/users/\(target.username)")
            #expect(anonymous.status == .ok)
            #expect(anonymous.json["username"] as? String == target.username)
            #expect(anonymous.json["email"] == nil)

            let (_, otherAccess, _) = try await client.signedInUser()
            #expect(try await client.send(.get, "/api/v1/users/\(target.username)", token: otherAccess).json["email"] == nil)

            let own = try await client.login(target.username, target.password)
            #expect(try await client.send(.get, "/api/v1/users/\(target.username)", token: own.access).json["email"] != nil)

            let admin = try await client.login(TestServices.adminUsername, TestServices.adminPassword)
            #expect(try await client.send(.get, "/api/v1/users/\(target.username)", token: admin.access).json["email"] != nil)

            let missing = try await client.send(.get, "/api/v1/users/no_such_\(target.username)")
            #expect(missing.status == .notFound)
            #expect(missing.problemType == "not-found")
            let tooLong = try await client.send(.get, "/api/v1/users/\(String(repeating: "a", count: 200))")
            #expect(tooLong.status == .notFound)
        }
    }

    @Test func onlyAdminsChangeRoles() async throws {
        try await EdgeHarness().run { client in
            let target = try await client.registerUser()
            let (_, userAccess, _) = try await client.signedInUser()
            let denied = try await client.send(.put, "/api/v1/users/\(target.username)/role", json: ["role": "admin"], token: userAccess)
            #expect(denied.status == .forbidden)
            #expect(denied.problemType == "forbidden")
            #expect(try await client.send(.put, "/api/v1/users/\(target.username)/role", json: ["role": "admin"]).status == .unauthorized)

            let admin = try await client.login(TestServices.adminUsername, TestServices.adminPassword)
            let granted = try await client.send(.put, "/api/v1/users/\(target.username)/role", json: ["role": "staff"], token: admin.access)
            #expect(granted.status == .ok)
            #expect(granted.json["role"] as? String == "staff")
            #expect(try await client.send(.get, "/api/v1/users/\(target.username)").json["role"] as? String == "staff")

            let badRole = try await client.send(.put, "/api/v1/users/\(target.username)/role", json: ["role": "king"], token: admin.access)
            #expect(badRole.status == .unprocessableContent)
            #expect(badRole.fieldErrors["role"] == "must be one of user, staff, admin")
            let noRole = try await client.send(.put, "/api/v1/users/\(target.username)/role", json: [:], token: admin.access)
            #expect(noRole.fieldErrors["role"] == "is required")
            let nobody = try await client.send(.put, "/api/v1/users/nobody_\(target.username)/role", json: ["role": "user"], token: admin.access)
            #expect(nobody.status == .notFound)
        }
    }

    @Test func aStaleRoleInAnOldTokenIsStillChecked() async throws {
        // Tokens carry the role they were issued with: a user made admin needs a new token,
        // and a forged "admin" claim without our signature is refused (expiredAndForeignTokens).
        try await EdgeHarness().run { client in
            let target = try await client.registerUser()
            let before = try await client.login(target.username, target.password)
            let admin = try await client.login(TestServices.adminUsername, TestServices.adminPassword)
            _ = try await client.send(.put, "/api/v1/users/\(target.username)/role", json: ["role": "admin"], token: admin.access)
            let other = try await client.registerUser()
            let old = try await client.send(.put, "/api/v1/users/\(other.username)/role", json: ["role": "staff"], token: before.access)
            #expect(old.status == .forbidden)
            let fresh = try await client.login(target.username, target.password)
            let now = try await client.send(.put, "/api/v1/users/\(other.username)/role", json: ["role": "staff"], token: fresh.access)
            #expect(now.status == .ok)
        }
    }
}
