import AlgoProto
import Hummingbird

/// `/api/v1/auth`: registration, login, token refresh and logout, all answered by Users.
struct AuthController: Sendable {
    let users: UsersV1.UsersClient
    let upstream: UpstreamOptions
    let body: JSONBodyReader
    let limits: AuthRateLimits

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.register, use: self.register)
        router.on(.login, use: self.login)
        router.on(.refresh, use: self.refresh)
        router.on(.logout, use: self.logout)
    }

    @Sendable func register(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let body = try await self.body.decode(RegisterBody.self, from: request)
        var fields = RequiredFields()
        var call = UsersV1.RegisterUserRequest()
        call.username = fields.require(body.username, "username")
        call.email = fields.require(body.email, "email")
        call.password = fields.require(body.password, "password")
        try fields.check()
        call.displayName = body.displayName ?? ""
        call.preferredLanguage = body.preferredLanguage ?? ""
        let response = try await self.registerUser(call, request: request, context: context)
        guard let user = response.user else { throw Problem.internalError }
        return .json(
            UserResource(user, viewer: Caller(id: user.id, username: user.username, role: RoleName.name(of: user.role))),
            status: .created,
            headers: [.location: "/api/v1/users/\(user.username)"]
        )
    }

    @Sendable func login(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let body = try await self.body.decode(LoginBody.self, from: request)
        var fields = RequiredFields()
        let login = fields.require(body.login, "login")
        let password = fields.require(body.password, "password")
        fields.limit(login, "login")
        try fields.check()
        return .json(try await self.authenticate(.init(typed: login), password: password, request: request, context: context))
    }

    @Sendable func refresh(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let body = try await self.body.decode(RefreshBody.self, from: request)
        var fields = RequiredFields()
        let token = fields.require(body.refresh, "refresh")
        try fields.check()
        return .json(try await self.rotate(token, context: context))
    }

    @Sendable func logout(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let body = try await self.body.decode(RefreshBody.self, from: request)
        var fields = RequiredFields()
        var call = UsersV1.RevokeRequest()
        call.refreshToken = fields.require(body.refresh, "refresh")
        try fields.check()
        _ = try await self.users.revoke(call, options: self.upstream.callOptions(context))
        return Response(status: .noContent)
    }

    // MARK: Shared with the legacy paths

    func registerUser(_ call: UsersV1.RegisterUserRequest, request: Request, context: EdgeRequestContext) async throws -> UsersV1.RegisterUserResponse {
        try await self.limits.registration(request: request, context: context)
        return try await self.users.registerUser(call, options: self.upstream.callOptions(context))
    }

    func authenticate(
        _ login: UsersV1.AuthenticateRequest.Login, password: String, request: Request, context: EdgeRequestContext
    ) async throws -> LoginResponse {
        let client = try await self.limits.login(account: login, request: request, context: context)
        var call = UsersV1.AuthenticateRequest()
        call.login = login
        call.password = password
        call.clientAddress = client
        let response = try await self.users.authenticate(call, options: self.upstream.callOptions(context))
        guard let user = response.user, let tokens = response.tokens else { throw Problem.internalError }
        let viewer = Caller(id: user.id, username: user.username, role: RoleName.name(of: user.role))
        return LoginResponse(access: tokens.accessToken, refresh: tokens.refreshToken, user: UserResource(user, viewer: viewer))
    }

    func rotate(_ token: String, context: EdgeRequestContext) async throws -> TokenPairResponse {
        var call = UsersV1.RefreshRequest()
        call.refreshToken = token
        let response = try await self.users.refresh(call, options: self.upstream.callOptions(context))
        guard let tokens = response.tokens else { throw Problem.internalError }
        return TokenPairResponse(access: tokens.accessToken, refresh: tokens.refreshToken)
    }
}
