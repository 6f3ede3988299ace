import AlgoProto
import Hummingbird

/// `/api/v1/users`: the signed-in account, public profiles, and roles.
struct UsersController: Sendable {
    let users: UsersV1.UsersClient
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let authenticator: BearerAuthenticator

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.getMe, use: self.getMe)
        router.on(.updateMe, use: self.updateMe)
        router.on(.getUser, use: self.getUser)
        router.on(.setRole, use: self.setRole)
    }

    @Sendable func getMe(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        var call = UsersV1.GetProfileRequest()
        call.userId = caller.id
        let response = try await self.users.getProfile(call, options: self.upstream.callOptions(context, caller: caller))
        return try Self.user(response.user, viewer: caller)
    }

    /// Only the caller's own profile: there is no route that names another account to change.
    @Sendable func updateMe(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let body = try await self.body.decode(ProfileUpdateBody.self, from: request)
        var call = UsersV1.UpdateProfileRequest()
        call.userId = caller.id
        call.displayName = body.displayName
        call.bio = body.bio
        call.preferredLanguage = body.preferredLanguage
        call.email = body.email
        let response = try await self.users.updateProfile(call, options: self.upstream.callOptions(context, caller: caller))
        return try Self.user(response.user, viewer: caller)
    }

    @Sendable func getUser(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let viewer = try self.authenticator.optional(request)
        let user = try await self.lookUp(try Self.username(context), viewer: viewer, context: context)
        return try Self.user(user, viewer: viewer)
    }

    @Sendable func setRole(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        // Checked here too (Users enforces it) so that non-admins learn nothing about accounts.
        guard caller.isAdmin else { throw Problem(.forbidden, "Only admins can change roles.") }
        let body = try await self.body.decode(RoleUpdateBody.self, from: request)
        var fields = RequiredFields()
        let name = fields.require(body.role, "role")
        let role = RoleName.parse(name)
        if !name.isEmpty, role == nil { fields.add("role", "must be one of \(RoleName.all.joined(separator: ", "))") }
        try fields.check()
        guard let user = try await self.lookUp(try Self.username(context), viewer: caller, context: context) else {
            throw Problem.internalError
        }
        var call = UsersV1.SetRoleRequest()
        call.userId = user.id
        call.role = role ?? .user
        let response = try await self.users.setRole(call, options: self.upstream.callOptions(context, caller: caller))
        return try Self.user(response.user, viewer: caller)
    }

    private func lookUp(_ username: String, viewer: Caller?, context: EdgeRequestContext) async throws -> UsersV1.User? {
        var call = UsersV1.GetUserByUsernameRequest()
        call.username = username
        return try await self.users.getUserByUsername(call, options: self.upstream.callOptions(context, caller: viewer)).user
    }

    /// The `{username}` path segment; nothing longer than any username could be is sent on.
    private static func username(_ context: EdgeRequestContext) throws -> String {
        guard let username = context.parameters.get("username"), (1...64).contains(username.utf8.count) else {
            throw Problem(.notFound, "No such user.")
        }
        return username
    }

    private static func user(_ user: UsersV1.User?, viewer: Caller?) throws -> Response {
        guard let user else { throw Problem.internalError }
        return .json(UserResource(user, viewer: viewer))
    }
}
