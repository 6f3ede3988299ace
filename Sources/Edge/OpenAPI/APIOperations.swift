/// Every public route of Edge, in the order the OpenAPI document lists them.
extension APIOperation {
    static let all: [APIOperation] = [
        .register, .login, .refresh, .logout,
        .getMe, .updateMe, .getUser, .setRole,
        .legacyLogin, .legacyRegistration, .legacyRefresh,
        .healthz, .readyz, .metrics, .openAPI,
    ]

    // MARK: /api/v1/auth

    static let register = APIOperation(
        method: .post, path: "/api/v1/auth/register", operationID: "register", summary: "Create an account",
        tag: "auth", requestBody: "RegisterRequest",
        success: .init(status: 201, description: "The new account", schema: "User"),
        problems: [409], rateLimited: true
    )
    static let login = APIOperation(
        method: .post, path: "/api/v1/auth/login", operationID: "login",
        summary: "Sign in with a username or email (a login containing '@' is an email)",
        tag: "auth", requestBody: "LoginRequest",
        success: .init(status: 200, description: "Tokens and the account", schema: "LoginResponse"),
        problems: [401], rateLimited: true
    )
    static let refresh = APIOperation(
        method: .post, path: "/api/v1/auth/refresh", operationID: "refresh",
        summary: "Exchange a refresh token for new tokens (the old one is spent; reusing it signs the login out everywhere)",
        tag: "auth", requestBody: "RefreshRequest",
        success: .init(status: 200, description: "A new token pair", schema: "TokenPair"),
        problems: [401]
    )
    static let logout = APIOperation(
        method: .post, path: "/api/v1/auth/logout", operationID: "logout", summary: "Revoke a refresh token and its family",
        tag: "auth", requestBody: "RefreshRequest",
        success: .init(status: 204, description: "Revoked (also when it already was)", schema: nil)
    )

    // MARK: /api/v1/users

    static let getMe = APIOperation(
        method: .get, path: "/api/v1/users/me", operationID: "getMe", summary: "The signed-in account",
        tag: "users", security: .bearer,
        success: .init(status: 200, description: "The account, with its email", schema: "User"),
        problems: [404]
    )
    static let updateMe = APIOperation(
        method: .patch, path: "/api/v1/users/me", operationID: "updateMe",
        summary: "Change the signed-in account's profile (absent or null fields stay unchanged)",
        tag: "users", security: .bearer, requestBody: "ProfileUpdate",
        success: .init(status: 200, description: "The updated account", schema: "User"),
        problems: [404, 409]
    )
    static let getUser = APIOperation(
        method: .get, path: "/api/v1/users/{username}", operationID: "getUser",
        summary: "A public profile (the email only for the account itself and admins)",
        tag: "users", security: .optionalBearer,
        success: .init(status: 200, description: "The profile", schema: "User"),
        problems: [404]
    )
    static let setRole = APIOperation(
        method: .put, path: "/api/v1/users/{username}/role", operationID: "setRole", summary: "Change an account's role (admins only)",
        tag: "users", security: .bearer, requestBody: "RoleUpdate",
        success: .init(status: 200, description: "The account with its new role", schema: "User"),
        problems: [403, 404]
    )

    // MARK: The original frontend's paths (dj-rest-auth); validation errors answer 400 there.

    static let legacyLogin = APIOperation(
        method: .post, path: "/auth/login/", operationID: "legacyLogin", summary: "Sign in (original frontend)",
        tag: "legacy", requestBody: "LegacyLoginRequest",
        success: .init(status: 200, description: "Tokens and the account", schema: "LoginResponse"),
        problems: [401], rateLimited: true
    )
    static let legacyRegistration = APIOperation(
        method: .post, path: "/auth/registration/", operationID: "legacyRegistration",
        summary: "Create an account and sign in (original frontend)",
        tag: "legacy", requestBody: "LegacyRegistrationRequest",
        success: .init(status: 201, description: "Tokens and the new account", schema: "LoginResponse"),
        problems: [409], rateLimited: true
    )
    static let legacyRefresh = APIOperation(
        method: .post, path: "/auth/token/refresh/", operationID: "legacyRefresh",
        summary: "Exchange a refresh token (original frontend; the rotated refresh token is returned too)",
        tag: "legacy", requestBody: "RefreshRequest",
        success: .init(status: 200, description: "A new access token (and the rotated refresh token)", schema: "TokenPair"),
        problems: [401]
    )

    // MARK: Operations

    static let healthz = APIOperation(
        method: .get, path: "/healthz", operationID: "healthz", summary: "The process is alive",
        tag: "operations",
        success: .init(status: 200, description: "Alive", schema: "PlainText", mediaType: "text/plain")
    )
    static let readyz = APIOperation(
        method: .get, path: "/readyz", operationID: "readyz", summary: "Users and Redis answer (503 otherwise)",
        tag: "operations",
        success: .init(status: 200, description: "Ready", schema: "Readiness"),
        problems: [503]
    )
    static let metrics = APIOperation(
        method: .get, path: "/metrics", operationID: "metrics", summary: "Prometheus metrics",
        tag: "operations",
        success: .init(status: 200, description: "Prometheus text format", schema: "PlainText", mediaType: "text/plain")
    )
    static let openAPI = APIOperation(
        method: .get, path: "/openapi.json", operationID: "openAPI", summary: "This document",
        tag: "operations",
        success: .init(status: 200, description: "OpenAPI 3.1", schema: "OpenAPIDocument")
    )
}
