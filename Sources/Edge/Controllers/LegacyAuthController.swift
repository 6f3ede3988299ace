import AlgoProto
import Hummingbird
import RPC

/// The original frontend's dj-rest-auth paths, with their bodies and answers. They share the
/// rate limits and Users calls of ``AuthController``; validation failures answer 400 as
/// dj-rest-auth did (same problem type as the 422s of /api/v1).
struct LegacyAuthController: Sendable {
    let auth: AuthController

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.legacyLogin, use: self.login)
        router.on(.legacyRegistration, use: self.registration)
        router.on(.legacyRefresh, use: self.refresh)
    }

    @Sendable func login(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        try await Self.asBadRequest {
            let body = try await self.auth.body.decode(LegacyLoginBody.self, from: request)
            var fields = RequiredFields()
            let password = fields.require(body.password, "password")
            let login: UsersV1.AuthenticateRequest.Login
            if let username = body.username, !username.isEmpty {
                login = .username(username)
            } else if let email = body.email, !email.isEmpty {
                login = .email(email)
            } else {
                fields.add("username", "username or email is required")
                login = .username("")
            }
            fields.limit(body.username ?? "", "username")
            fields.limit(body.email ?? "", "email")
            try fields.check()
            return .json(try await self.auth.authenticate(login, password: password, request: request, context: context))
        }
    }

    @Sendable func registration(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        try await Self.asBadRequest(renaming: ["password": "password1"]) {
            let body = try await self.auth.body.decode(LegacyRegistrationBody.self, from: request)
            var fields = RequiredFields()
            var call = UsersV1.RegisterUserRequest()
            call.username = fields.require(body.username, "username")
            call.email = fields.require(body.email, "email")
            call.password = fields.require(body.password1, "password1")
            call.issueTokens = true
            let confirmation = fields.require(body.password2, "password2")
            if !call.password.isEmpty, !confirmation.isEmpty, call.password != confirmation {
                fields.add("password2", "the two password fields didn't match")
            }
            try fields.check()
            let response = try await self.auth.registerUser(call, request: request, context: context)
            guard let user = response.user, let tokens = response.tokens else { throw Problem.internalError }
            let viewer = Caller(id: user.id, username: user.username, role: RoleName.name(of: user.role))
            return .json(
                LoginResponse(access: tokens.accessToken, refresh: tokens.refreshToken, user: UserResource(user, viewer: viewer)),
                status: .created
            )
        }
    }

    @Sendable func refresh(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        try await Self.asBadRequest {
            let body = try await self.auth.body.decode(RefreshBody.self, from: request)
            var fields = RequiredFields()
            let token = fields.require(body.refresh, "refresh")
            try fields.check()
            return .json(try await self.auth.rotate(token, context: context))
        }
    }

    /// dj-rest-auth answered every invalid body with 400. `renaming` maps Users' field names to the
    /// form's (`password` → `password1`), so that the original form highlights the right input.
    private static func asBadRequest(
        renaming: [String: String] = [:],
        _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch {
            var problem: Problem
            switch error {
            case let error as Problem: problem = error
            case let error as RPCError: problem = Problem(error)
            default: throw error
            }
            // Anything else goes on unchanged (ProblemMiddleware logs server-side failures).
            guard problem.type == .validationError else { throw error }
            problem.status = .badRequest
            problem.errors = problem.errors.map { .init(field: renaming[$0.field] ?? $0.field, detail: $0.detail) }
            throw problem
        }
    }
}
