import AlgoProto
import Logging
import RPC
import ServiceKit

/// The Users service: accounts, password login, access and refresh tokens, profiles, roles.
///
/// The end user a call is made for arrives in RPC metadata from Edge (`userID`, `userRole`);
/// only authenticated peers can send it, so it is trusted here.
struct UsersHandler: UsersV1.UsersHandler {
    let accounts: AccountStore
    let refreshTokens: RefreshTokenStore
    let hasher: PasswordHasher
    let signer: AccessTokenSigner
    /// Access token lifetime in seconds.
    let accessTokenLifetime: Int64

    func registerUser(_ request: UsersV1.RegisterUserRequest, context: RPCServerContext) async throws -> UsersV1.RegisterUserResponse {
        let username = AccountValidation.normalizedUsername(request.username)
        let violations = [
            AccountValidation.username(username),
            AccountValidation.email(request.email),
            AccountValidation.password(request.password, username: username),
            AccountValidation.displayName(request.displayName),
            AccountValidation.preferredLanguage(request.preferredLanguage),
        ].compactMap { $0 }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }

        let hash = try await self.hasher.hash(request.password)
        let account = try await storage {
            try await self.accounts.create(
                .init(
                    username: username, email: request.email, passwordHash: hash, role: .user,
                    displayName: request.displayName, preferredLanguage: request.preferredLanguage
                )
            )
        }
        context.logger.info("account registered", metadata: ["user_id": "\(account.id)"])
        var response = UsersV1.RegisterUserResponse()
        response.user = account.proto
        if request.issueTokens {
            response.tokens = try await self.tokens(for: account)
        }
        return response
    }

    func authenticate(_ request: UsersV1.AuthenticateRequest, context: RPCServerContext) async throws -> UsersV1.AuthenticateResponse {
        let failure = RPCError(.unauthenticated, "wrong login or password")
        let found: Account?
        switch request.login {
        case .username(let username)?: found = try await storage { try await self.accounts.find(username: username) }
        case .email(let email)?: found = try await storage { try await self.accounts.find(email: email) }
        case nil: throw RPCError.invalid([.init("login", "is required")])
        }
        guard let account = found else {
            try await self.hasher.verifyAgainstDummy(request.password)  // same time as a real check
            throw failure
        }
        let verification = try await self.hasher.verify(request.password, against: account.passwordHash)
        guard verification.matches else { throw failure }
        if verification.needsRehash {
            let hash = try await self.hasher.hash(request.password)
            try await storage { try await self.accounts.updatePasswordHash(id: account.id, hash: hash) }
            context.logger.info("password rehashed with current parameters", metadata: ["user_id": "\(account.id)"])
        }
        var response = UsersV1.AuthenticateResponse()
        response.user = account.proto
        response.tokens = try await self.tokens(for: account)
        return response
    }

    func refresh(_ request: UsersV1.RefreshRequest, context: RPCServerContext) async throws -> UsersV1.RefreshResponse {
        guard !request.refreshToken.isEmpty else { throw RPCError.invalid([.init("refresh", "is required")]) }
        switch try await storage({ try await self.refreshTokens.rotate(request.refreshToken) }) {
        case .invalid(let reason):
            throw RPCError(.unauthenticated, reason)
        case .reuseDetected:
            context.logger.warning("refresh token reuse detected; family revoked")
            throw RPCError(.unauthenticated, "refresh token already used; every session of this login was signed out")
        case .rotated(let userID, let issued):
            guard let account = try await storage({ try await self.accounts.find(id: userID) }) else {
                throw RPCError(.unauthenticated, "account no longer exists")
            }
            var response = UsersV1.RefreshResponse()
            response.user = account.proto
            response.tokens = self.tokens(for: account, refresh: issued)
            return response
        }
    }

    func revoke(_ request: UsersV1.RevokeRequest, context: RPCServerContext) async throws -> UsersV1.RevokeResponse {
        guard !request.refreshToken.isEmpty else { throw RPCError.invalid([.init("refresh", "is required")]) }
        var response = UsersV1.RevokeResponse()
        response.revokedCount = Int32(
            clamping: try await storage { try await self.refreshTokens.revoke(request.refreshToken, allSessions: request.allSessions) }
        )
        return response
    }

    func getProfile(_ request: UsersV1.GetProfileRequest, context: RPCServerContext) async throws -> UsersV1.GetProfileResponse {
        guard let account = try await storage({ try await self.accounts.find(id: request.userId) }) else {
            throw RPCError(.notFound, "no user with id \(request.userId)")
        }
        var response = UsersV1.GetProfileResponse()
        response.user = account.proto
        return response
    }

    func updateProfile(_ request: UsersV1.UpdateProfileRequest, context: RPCServerContext) async throws -> UsersV1.UpdateProfileResponse {
        let caller = try Caller(context)
        guard caller.id == request.userId || caller.role == .admin else {
            throw RPCError(.permissionDenied, "only the owner or an admin can change a profile")
        }
        let violations = [
            request.displayName.flatMap(AccountValidation.displayName),
            request.bio.flatMap(AccountValidation.bio),
            request.preferredLanguage.flatMap(AccountValidation.preferredLanguage),
            request.email.flatMap(AccountValidation.email),
        ].compactMap { $0 }
        guard violations.isEmpty else { throw RPCError.invalid(violations) }
        let change = AccountStore.ProfileChange(
            displayName: request.displayName, bio: request.bio, preferredLanguage: request.preferredLanguage, email: request.email
        )
        guard let account = try await storage({ try await self.accounts.updateProfile(id: request.userId, change) }) else {
            throw RPCError(.notFound, "no user with id \(request.userId)")
        }
        var response = UsersV1.UpdateProfileResponse()
        response.user = account.proto
        return response
    }

    func setRole(_ request: UsersV1.SetRoleRequest, context: RPCServerContext) async throws -> UsersV1.SetRoleResponse {
        let caller = try Caller(context)
        guard caller.role == .admin else { throw RPCError(.permissionDenied, "only admins can change roles") }
        guard let role = Role(request.role) else {
            throw RPCError.invalid([.init("role", "must be one of user, staff, admin")])
        }
        guard let account = try await storage({ try await self.accounts.setRole(id: request.userId, role: role) }) else {
            throw RPCError(.notFound, "no user with id \(request.userId)")
        }
        context.logger.notice("role changed", metadata: ["user_id": "\(account.id)", "role": "\(role.name)", "by": "\(caller.id)"])
        var response = UsersV1.SetRoleResponse()
        response.user = account.proto
        return response
    }

    func getUsersByIds(_ request: UsersV1.GetUsersByIdsRequest, context: RPCServerContext) async throws -> UsersV1.GetUsersByIdsResponse {
        guard request.userIds.count <= 1000 else { throw RPCError.invalid([.init("user_ids", "at most 1000 ids per call")]) }
        var response = UsersV1.GetUsersByIdsResponse()
        response.users = try await storage { try await self.accounts.find(ids: request.userIds) }.map(\.proto)
        return response
    }

    func getUserByUsername(_ request: UsersV1.GetUserByUsernameRequest, context: RPCServerContext) async throws -> UsersV1.GetUserByUsernameResponse {
        guard let account = try await storage({ try await self.accounts.find(username: request.username) }) else {
            throw RPCError(.notFound, "no user named \(request.username)")
        }
        var response = UsersV1.GetUserByUsernameResponse()
        response.user = account.proto
        return response
    }

    // MARK: Helpers

    private func tokens(for account: Account) async throws -> UsersV1.TokenPair {
        let refresh = try await storage { try await self.refreshTokens.issue(userID: account.id) }
        return self.tokens(for: account, refresh: refresh)
    }

    private func tokens(for account: Account, refresh: RefreshTokenStore.Issued) -> UsersV1.TokenPair {
        let now = WallClock.nowSeconds()
        let claims = AccessTokenClaims(
            userID: account.id, username: account.username, role: account.role, issuedAt: now, expiresAt: now + self.accessTokenLifetime
        )
        var pair = UsersV1.TokenPair()
        pair.accessToken = self.signer.sign(claims)
        pair.accessExpiresAtMs = claims.exp * 1000
        pair.refreshToken = refresh.token
        pair.refreshExpiresAtMs = refresh.expiresAtMs
        return pair
    }
}

/// The end user on whose behalf a call is made, from RPC metadata.
struct Caller {
    var id: Int64
    var role: Role

    init(_ context: RPCServerContext) throws {
        guard let raw = context.metadata.userID, let id = Int64(raw) else {
            throw RPCError(.unauthenticated, "this call needs an authenticated user")
        }
        self.id = id
        self.role = Role(name: context.metadata.userRole ?? "user")
    }
}
