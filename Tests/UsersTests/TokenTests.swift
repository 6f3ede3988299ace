import AlgoProto
import RPC
import ServiceKit
import Testing

@testable import Users

@Suite("Users: tokens")
struct TokenTests {
    func refresh(_ users: UsersFixture, _ token: String) async throws -> UsersV1.RefreshResponse {
        var request = UsersV1.RefreshRequest()
        request.refreshToken = token
        return try await users.handler.refresh(request, context: UsersFixture.context())
    }

    @Test("refresh rotates the token; presenting a rotated one revokes the whole family")
    func rotationAndReuse() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        let first = try #require(try await users.register(name).tokens?.refreshToken)
        let second = try #require(try await self.refresh(users, first).tokens?.refreshToken)
        #expect(second != first)
        let third = try #require(try await self.refresh(users, second).tokens?.refreshToken)
        // The stolen `first` comes back: refused, and the family (including `third`) is revoked.
        await #expect { try await self.refresh(users, first) } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        await #expect { try await self.refresh(users, third) } throws: { ($0 as? RPCError)?.code == .unauthenticated }
    }

    @Test("logout revokes; other logins of the same user stay valid unless all sessions are revoked")
    func logout() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        let laptop = try #require(try await users.register(name).tokens?.refreshToken)
        let phone = try #require(try await users.login(name).tokens?.refreshToken)
        let tablet = try #require(try await users.login(name).tokens?.refreshToken)
        var revoke = UsersV1.RevokeRequest()
        revoke.refreshToken = laptop
        #expect(try await users.handler.revoke(revoke, context: UsersFixture.context()).revokedCount == 1)
        await #expect(throws: RPCError.self) { try await self.refresh(users, laptop) }
        let phone2 = try #require(try await self.refresh(users, phone).tokens?.refreshToken)
        revoke.refreshToken = phone2
        revoke.allSessions = true
        #expect(try await users.handler.revoke(revoke, context: UsersFixture.context()).revokedCount >= 2)
        await #expect(throws: RPCError.self) { try await self.refresh(users, tablet) }
    }

    @Test("garbage and empty refresh tokens are refused")
    func garbage() async throws {
        let users = try await UsersFixture.make()
        await #expect { try await self.refresh(users, "not-a-token") } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        await #expect { try await self.refresh(users, "") } throws: { ($0 as? RPCError)?.code == .invalidArgument }
    }

    @Test("access tokens: tampering, another key and expiry are refused")
    func accessTokens() throws {
        let signer = try AccessTokenSigner(seed: Hex.decode(UsersFixture.seedHex)!)
        let verifier = try AccessTokenVerifier(publicKey: signer.publicKey)
        let now = WallClock.nowSeconds()
        let token = signer.sign(AccessTokenClaims(userID: 7, username: "ann", role: "admin", issuedAt: now, expiresAt: now + 60))
        #expect(try verifier.verify(token, now: now).userID == 7)
        #expect(throws: TokenError.self) { try verifier.verify(token, now: now + 3600) }
        var tampered = Array(token)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        #expect(throws: TokenError.self) { try verifier.verify(String(tampered), now: now) }
        let other = try AccessTokenSigner(seed: [UInt8](repeating: 1, count: 32))
        #expect(throws: TokenError.self) { try verifier.verify(other.sign(AccessTokenClaims(userID: 7, username: "ann", role: "admin", issuedAt: now, expiresAt: now + 60)), now: now) }
        #expect(throws: TokenError.self) { try verifier.verify("a.b", now: now) }
        #expect(throws: TokenError.self) { try verifier.verify("", now: now) }
    }
}
