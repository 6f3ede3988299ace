/// Every public route of Edge, in the order the OpenAPI document lists them.
extension APIOperation {
    static let all: [APIOperation] = [
        .register, .login, .refresh, .logout,
        .getMe, .updateMe, .getUser, .setRole,
        .listLanguages, .listProblems, .createProblem, .getProblem, .updateProblem, .putProblemTests, .rejudgeProblem,
        .createSubmission, .listSubmissions, .getSubmission, .submissionEvents, .rejudgeSubmission,
    ] + gameOperations + [
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

    // MARK: /api/v1/languages and /api/v1/problems

    static let listLanguages = APIOperation(
        method: .get, path: "/api/v1/languages", operationID: "listLanguages", summary: "The languages submissions may be written in",
        tag: "problems",
        success: .init(status: 200, description: "Every judge language", schema: "LanguageList")
    )
    static let listProblems = APIOperation(
        method: .get, path: "/api/v1/problems", operationID: "listProblems",
        summary: "Problems: public ones, the caller's own drafts, and everything for staff",
        tag: "problems", security: .optionalBearer,
        parameters: [
            .init(name: "tag", description: "Problems with every tag given", repeated: true),
            .init(name: "difficulty", description: "Any of these difficulties", schema: OpenAPISchemas.difficultyEnum, repeated: true),
            .init(name: "q", description: "Case-insensitive part of the title or slug"),
            .init(name: "author", description: "Username of an author"),
        ] + pageParameters,
        success: .init(status: 200, description: "One page of problems", schema: "ProblemPage"),
        problems: [422]
    )
    static let createProblem = APIOperation(
        method: .post, path: "/api/v1/problems", operationID: "createProblem",
        summary: "Create a problem (staff); the caller becomes its author. It starts as a draft unless `visibility` says otherwise",
        tag: "problems", security: .bearer, requestBody: "ProblemCreate",
        success: .init(status: 201, description: "The new problem (ETag: its revision)", schema: "ProblemDetail"),
        problems: [403, 409]
    )
    static let getProblem = APIOperation(
        method: .get, path: "/api/v1/problems/{slug}", operationID: "getProblem",
        summary: "A problem; drafts only for their authors and staff, who also see wrappers and checker/interactor sources",
        tag: "problems", security: .optionalBearer,
        success: .init(status: 200, description: "The problem (ETag: its revision)", schema: "ProblemDetail"),
        problems: [404]
    )
    static let updateProblem = APIOperation(
        method: .patch, path: "/api/v1/problems/{slug}", operationID: "updateProblem",
        summary: "Change a problem (staff and authors): fields present replace the stored ones (nested objects merge)",
        tag: "problems", security: .bearer,
        parameters: [
            .init(name: "If-Match", location: .header, description: "The revision the edit is based on, as the ETag gave it (\"7\"); 412 when stale"),
        ],
        requestBody: "ProblemUpdate",
        success: .init(status: 200, description: "The saved problem (ETag: its new revision)", schema: "ProblemDetail"),
        problems: [403, 404, 409, 412]
    )
    static let putProblemTests = APIOperation(
        method: .put, path: "/api/v1/problems/{slug}/tests", operationID: "putProblemTests",
        summary: "Upload a new test data version (staff and authors): a zip of NAME.in/NAME.ans pairs or JSON; up to MAX_TEST_DATA_BYTES",
        tag: "problems", security: .bearer, requestBody: "TestDataUpload",
        otherRequestBodies: [("application/zip", "ZipArchive")],
        success: .init(status: 200, description: "The new version", schema: "TestDataInfo"),
        problems: [403, 404]
    )
    static let rejudgeProblem = APIOperation(
        method: .post, path: "/api/v1/problems/{slug}/rejudge", operationID: "rejudgeProblem",
        summary: "Judge every submission of the problem again (staff)",
        tag: "problems", security: .bearer,
        success: .init(status: 202, description: "Queued", schema: "RejudgeResult"),
        problems: [403, 404]
    )

    // MARK: /api/v1/submissions

    static let createSubmission = APIOperation(
        method: .post, path: "/api/v1/submissions", operationID: "createSubmission",
        summary: "Submit a solution; it is judged asynchronously (follow /events or poll the Location)",
        tag: "submissions", security: .bearer, requestBody: "SubmissionCreate",
        success: .init(status: 202, description: "Queued", schema: "Submission", location: true),
        rateLimited: true
    )
    static let listSubmissions = APIOperation(
        method: .get, path: "/api/v1/submissions", operationID: "listSubmissions", summary: "Submissions, newest first",
        tag: "submissions", security: .optionalBearer,
        parameters: [
            .init(name: "problem", description: "Slug of a problem"),
            .init(name: "user", description: "Username of the author"),
            .init(name: "verdict", description: "Any of these verdicts", schema: OpenAPISchemas.verdictEnum, repeated: true),
            .init(name: "language", description: "Any of these language ids", repeated: true),
        ] + pageParameters,
        success: .init(status: 200, description: "One page of submissions", schema: "SubmissionPage"),
        problems: [422]
    )
    static let getSubmission = APIOperation(
        method: .get, path: "/api/v1/submissions/{id}", operationID: "getSubmission",
        summary: "A submission with its per-test results; source, compiler output and checker messages only for its author and staff",
        tag: "submissions", security: .optionalBearer,
        success: .init(status: 200, description: "The submission", schema: "Submission"),
        problems: [400, 404]
    )
    static let submissionEvents = APIOperation(
        method: .get, path: "/api/v1/submissions/{id}/events", operationID: "submissionEvents",
        summary: "Server-Sent Events: `status` events (current state first), then one `done` event with the whole submission; the stream then ends",
        tag: "submissions", security: .optionalBearer,
        success: .init(status: 200, description: "An event stream", schema: "EventStream", mediaType: "text/event-stream"),
        problems: [400, 404]
    )
    static let rejudgeSubmission = APIOperation(
        method: .post, path: "/api/v1/submissions/{id}/rejudge", operationID: "rejudgeSubmission",
        summary: "Judge a submission again (staff)",
        tag: "submissions", security: .bearer,
        success: .init(status: 202, description: "Queued", schema: "RejudgeResult"),
        problems: [400, 403, 404]
    )

    static let pageParameters: [Parameter] = [
        .init(name: "page_size", description: "Items per page (1-100; the service's default when absent)", schema: ["type": "integer", "minimum": 1, "maximum": 100]),
        .init(name: "page_token", description: "`next_page_token` of the previous page"),
    ]

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
        method: .get, path: "/readyz", operationID: "readyz", summary: "Users, Problems, Submissions, JudgeService and Redis answer (503 otherwise)",
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
