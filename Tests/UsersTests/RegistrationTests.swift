import AlgoProto
import RPC
import ServiceKit
import Testing

@testable import Users

@Suite("Users: registration and login")
struct RegistrationTests {
    @Test("registering returns the account and tokens whose claims Edge can verify")
    func register() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        let response = try await users.register(name.uppercased())
        let user = try #require(response.user)
        #expect(user.username == name, "stored lowercased")
        #expect(user.role == .user)
        #expect(user.joinedAtMs > 0)
        let tokens = try #require(response.tokens)
        let claims = try users.verifier.verify(tokens.accessToken, now: WallClock.nowSeconds())
        #expect(claims.userID == user.id && claims.username == name && claims.role == "user")
        #expect(tokens.refreshToken.count >= 43)
        #expect(tokens.accessExpiresAtMs > WallClock.nowMilliseconds())

        var withoutLogin = UsersV1.RegisterUserRequest()
        withoutLogin.username = UsersFixture.uniqueName()
        withoutLogin.email = "\(withoutLogin.username)@example.org"
        withoutLogin.password = "correct horse"
        #expect(try await users.handler.registerUser(withoutLogin, context: UsersFixture.context()).tokens == nil)
    }

    @Test(
        "invalid fields are refused with a violation per field",
        arguments: [
            ("ab", "a@example.org", "long enough pw", "username"),
            ("has space", "a@example.org", "long enough pw", "username"),
            (String(repeating: "x", count: 33), "a@example.org", "long enough pw", "username"),
            ("valid_name", "not-an-email", "long enough pw", "email"),
            ("valid_name", "a@nodot", "long enough pw", "email"),
            ("valid_name", "a@example.org", "short", "password"),
            ("samepassword", "a@example.org", "SamePassword", "password"),
        ]
    )
    func invalid(username: String, email: String, password: String, field: String) async throws {
        let users = try await UsersFixture.make()
        var request = UsersV1.RegisterUserRequest()
        request.username = username
        request.email = email
        request.password = password
        await #expect {
            _ = try await users.handler.registerUser(request, context: UsersFixture.context())
        } throws: { error in
            (error as? RPCError)?.code == .invalidArgument && violations(error)[field] != nil
        }
    }

    @Test("usernames and emails are unique ignoring case")
    func duplicates() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        try await users.register(name, email: "\(name)@example.org")
        await #expect {
            try await users.register(name.uppercased(), email: "other-\(name)@example.org")
        } throws: { error in
            (error as? RPCError)?.code == .alreadyExists && violations(error)["username"] != nil
        }
        await #expect {
            try await users.register("x" + name, email: "\(name.uppercased())@EXAMPLE.org")
        } throws: { error in
            (error as? RPCError)?.code == .alreadyExists && violations(error)["email"] != nil
        }
    }

    @Test("login works by username or email; a wrong password and an unknown login fail alike")
    func login() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        let registered = try await users.register(name)
        #expect(try await users.login(name).user?.id == registered.user?.id)
        #expect(try await users.login("\(name)@example.org").user?.id == registered.user?.id)
        await #expect(throws: RPCError(.unauthenticated, "wrong login or password")) { try await users.login(name, password: "wrong password") }
        await #expect(throws: RPCError(.unauthenticated, "wrong login or password")) { try await users.login("nobody-\(name)") }
    }

    @Test("a hash made with older parameters is replaced at login")
    func rehash() async throws {
        let users = try await UsersFixture.make()
        let name = UsersFixture.uniqueName()
        let id = try #require(try await users.register(name).user?.id)
        // Store a hash made with other parameters, as if the cost had been raised since.
        let old = try await PasswordHasher(parameters: .init(operations: 1, memoryBytes: 32 << 10), threads: 1).hash("correct horse")
        try await users.assembly.handler.accounts.updatePasswordHash(id: id, hash: old)
        _ = try await users.login(name)
        let stored = try #require(try await users.assembly.handler.accounts.find(id: id)?.passwordHash)
        #expect(stored != old)
        #expect(stored.contains("m=64,t=1"), "rehashed with the current (test) parameters: \(stored)")
        _ = try await users.login(name)
    }

    @Test("the first admin is created once, and an existing account is promoted")
    func firstAdmin() async throws {
        let name = UsersFixture.uniqueName("admin")
        let environment = ["ALGOSPORTS_ADMIN_USER": name, "ALGOSPORTS_ADMIN_PASSWORD": "admin password 1"]
        let users = try await UsersFixture.make(environment: environment)
        let admin = try await users.login(name, password: "admin password 1")
        #expect(admin.user?.role == .admin)
        _ = try await UsersFixture.make(environment: environment)  // again: no duplicate, no error
        #expect(try await users.login(name, password: "admin password 1").user?.id == admin.user?.id)
    }

    @Test("configuration errors name the variable")
    func configuration() throws {
        #expect(throws: ConfigurationError.self) { try UsersConfiguration(Environment(["JWT_SIGNING_KEY": UsersFixture.seedHex])) }
        let base = ["DATABASE_URL": "postgres://u:p@127.0.0.1:1/db", "JWT_SIGNING_KEY": UsersFixture.seedHex]
        #expect(throws: ConfigurationError.self) { try UsersConfiguration(Environment(base.merging(["JWT_SIGNING_KEY": "abc"]) { $1 })) }
        #expect(throws: ConfigurationError.self) {
            try UsersConfiguration(Environment(base.merging(["ALGOSPORTS_ADMIN_USER": "rootroot", "ALGOSPORTS_ADMIN_PASSWORD": "RootRoot"]) { $1 }))
        }
        let configuration = try UsersConfiguration(Environment(base))
        #expect(configuration.accessTokenLifetime == 900)
        #expect(!"\(configuration)".contains("9d61b1"), "the signing key never shows in a description")
    }
}
