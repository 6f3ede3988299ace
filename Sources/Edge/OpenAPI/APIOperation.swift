import Hummingbird

/// One public route and what the OpenAPI document says about it. Routes are registered from
/// these values only (``RouterMethods/on(_:use:)`` below), so the router and the document cannot
/// drift apart; a test compares `router.routes` with the document as well.
struct APIOperation: Sendable {
    enum Security: Sendable { case none, bearer, optionalBearer }

    struct Success: Sendable {
        var status: Int
        var description: String
        /// A component schema name, or nil for an empty body.
        var schema: String?
        var mediaType = "application/json"
        /// A Location header (always with 201).
        var location = false
    }

    /// A query or header parameter.
    struct Parameter: Sendable {
        enum Location: String, Sendable { case query, header }
        var name: String
        var location: Location = .query
        var description: String
        var schema: JSONValue = ["type": "string"]
        /// Repeatable (`?tag=a&tag=b`; a comma list works too).
        var repeated = false
    }

    var method: HTTPRequest.Method
    /// OpenAPI-style path (`/api/v1/users/{username}`); Hummingbird reads the same syntax.
    var path: String
    var operationID: String
    var summary: String
    var tag: String
    var security: Security = .none
    var parameters: [Parameter] = []
    /// Component schema of the JSON request body.
    var requestBody: String?
    /// Other media types the body may have, with their component schemas.
    var otherRequestBodies: [(mediaType: String, schema: String)] = []
    var success: Success
    /// Problem statuses worth listing besides those implied by a body (400/413/415/422) and
    /// by bearer security (401).
    var problems: [Int] = []
    var rateLimited = false
}

extension RouterMethods {
    /// Registers `operation` with `handler`.
    @discardableResult
    func on(
        _ operation: APIOperation,
        use handler: @Sendable @escaping (Request, Context) async throws -> Response
    ) -> Self {
        self.on(RouterPath(operation.path), method: operation.method, use: handler)
    }
}
