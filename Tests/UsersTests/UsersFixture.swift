import AlgoProto
import Foundation
import Logging
import RPC
import ServiceKit
import Testing

@testable import Users

/// A Users service against the real PostgreSQL that `make test` starts.
struct UsersFixture {
    static let seedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

    let assembly: UsersAssembly
    var handler: UsersHandler { self.assembly.handler }
    let verifier: AccessTokenVerifier

    static func make(environment extra: [String: String] = [:]) async throws -> UsersFixture {
        let url = try #require(
            ProcessInfo.processInfo.environment["DATABASE_URL_USERS"],
            "DATABASE_URL_USERS is not set: run the tests with `make test`, which starts PostgreSQL and Redis"
        )
        var values = ["DATABASE_URL": url, "JWT_SIGNING_KEY": seedHex, "MIGRATIONS_DIR": Self.migrationsDirectory]
        values.merge(extra) { $1 }
        let configuration = try UsersConfiguration(Environment(values))
        var logger = Logger(label: "users-tests")
        logger.logLevel = .critical
        let assembly = try UsersAssembly(configuration: configuration, logger: logger, hashParameters: .testing)
        try await assembly.prepare()
        let signer = try AccessTokenSigner(seed: Hex.decode(seedHex)!)
        return UsersFixture(assembly: assembly, verifier: try AccessTokenVerifier(publicKey: signer.publicKey))
    }

    static var migrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Users/Migrations").path
    }

    /// A call context for `userID` with `role`, as Edge would send it; anonymous when nil.
    static func context(user: Int64? = nil, role: String = "user") -> RPCServerContext {
        RPCServerContext(
            method: "test", metadata: RPCMetadata(requestID: "test", userID: user.map(String.init), userRole: user == nil ? nil : role),
            deadline: nil, remoteAddress: nil, logger: Logger(label: "users-tests")
        )
    }

    /// A username no other test uses.
    static func uniqueName(_ prefix: String = "u") -> String {
        "\(prefix)\(UInt32.random(in: 0...UInt32.max))"
    }

    @discardableResult
    func register(_ username: String, password: String = "correct horse", email: String? = nil) async throws -> UsersV1.RegisterUserResponse {
        var request = UsersV1.RegisterUserRequest()
        request.username = username
        request.email = email ?? "\(username)@example.org"
        request.password = password
        request.issueTokens = true
        return try await self.handler.registerUser(request, context: Self.context())
    }

    func login(_ login: String, password: String = "correct horse") async throws -> UsersV1.AuthenticateResponse {
        var request = UsersV1.AuthenticateRequest()
        request.login = login.contains("@") ? .email(login) : .username(login)
        request.password = password
        return try await self.handler.authenticate(request, context: Self.context())
    }
}

/// The field violations carried by an INVALID_ARGUMENT or ALREADY_EXISTS error.
func violations(_ error: any Error) -> [String: String] {
    guard let error = error as? RPCError,
          let details = try? CommonV1.ErrorDetails(decoding: ByteBuffer(bytes: error.details))
    else { return [:] }
    return Dictionary(details.fieldViolations.map { ($0.field, $0.description) }, uniquingKeysWith: { a, _ in a })
}

import NIOCore
