/// The `components` of the OpenAPI document: schemas of every body, the problem responses, headers
/// and the bearer scheme. Field names match the Codable types in Models/ (tests decode examples).
enum OpenAPISchemas {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static let string: JSONValue = ["type": "string"]
    /// A required text field: empty counts as missing.
    static let text: JSONValue = ["type": "string", "minLength": 1]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let roleEnum: JSONValue = ["type": "string", "enum": .array(RoleName.all.map(JSONValue.string))]

    static func object(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object")]
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        members.append(("properties", .object(properties)))
        return .object(members)
    }

    static let schemas: JSONValue = [
        "Problem": object(
            [
                ("type", [
                    "type": "string", "format": "uri",
                    "description": "Stable identifier of the kind of problem; clients switch on it.",
                    "examples": .array(ProblemType.allCases.map { .string($0.uri) }),
                ]),
                ("title", string),
                ("status", ["type": "integer"]),
                ("detail", string),
                ("instance", ["type": "string", "description": "The request path."]),
                ("request_id", ["type": "string", "description": "Same as the X-Request-Id response header."]),
                ("errors", ["type": "array", "items": ref("FieldError")]),
            ],
            required: ["type", "title", "status", "detail", "request_id"]
        ),
        "FieldError": object([("field", string), ("detail", string)], required: ["field", "detail"]),
        "User": object(
            [
                ("id", ["type": "integer", "format": "int64"]),
                ("username", string),
                ("email", ["type": "string", "description": "Only for the account itself and admins."]),
                ("role", roleEnum),
                ("display_name", string),
                ("bio", string),
                ("preferred_language", string),
                ("joined_at", ["type": "string", "format": "date-time"]),
            ],
            required: ["id", "username", "role", "display_name", "bio", "preferred_language", "joined_at"]
        ),
        "RegisterRequest": object(
            [
                ("username", ["type": "string", "minLength": 3, "maxLength": 32, "pattern": "^[A-Za-z0-9_-]+$",
                              "description": "Stored lowercased; unique ignoring case."]),
                ("email", ["type": "string", "format": "email"]),
                ("password", ["type": "string", "minLength": 8, "description": "Not equal to the username."]),
                ("display_name", ["type": "string", "maxLength": 64]),
                ("preferred_language", ["type": "string", "maxLength": 32]),
            ],
            required: ["username", "email", "password"]
        ),
        "LoginRequest": object(
            [("login", ["type": "string", "minLength": 1, "maxLength": 254, "description": "Username, or email when it contains '@'."]),
             ("password", text)],
            required: ["login", "password"]
        ),
        "LoginResponse": object(
            [("access", ["type": "string", "description": "Access JWT (EdDSA), short-lived."]),
             ("refresh", ["type": "string", "description": "Opaque refresh token, single use."]),
             ("user", ref("User"))],
            required: ["access", "refresh", "user"]
        ),
        "RefreshRequest": object([("refresh", text)], required: ["refresh"]),
        "TokenPair": object([("access", string), ("refresh", string)], required: ["access", "refresh"]),
        "ProfileUpdate": object(
            [("display_name", nullableString), ("bio", nullableString), ("preferred_language", nullableString),
             ("email", ["type": ["string", "null"], "format": "email"])],
            required: []
        ),
        "RoleUpdate": object([("role", roleEnum)], required: ["role"]),
        "LegacyLoginRequest": object(
            [("username", ["type": "string", "maxLength": 254, "description": "Used when not empty, else email."]),
             ("email", ["type": "string", "maxLength": 254]), ("password", text)],
            required: ["password"]
        ),
        "LegacyRegistrationRequest": object(
            [("username", text), ("email", ["type": "string", "format": "email"]), ("password1", text), ("password2", text)],
            required: ["username", "email", "password1", "password2"]
        ),
        "Readiness": object(
            [
                ("status", ["type": "string", "enum": ["SERVING", "NOT_SERVING", "UNKNOWN"]]),
                ("service", string),
                ("dependencies", [
                    "type": "array",
                    "items": object(
                        [("name", string), ("status", string), ("detail", string), ("latency_us", ["type": "integer"])],
                        required: ["name", "status"]
                    ),
                ]),
            ],
            required: ["status"]
        ),
        "PlainText": string,
        "OpenAPIDocument": ["type": "object"],
    ]

    /// Problem responses by status, referenced from operations.
    static let problemResponses: [(status: Int, name: String, description: String)] = [
        (400, "BadRequest", "Malformed JSON (and, on the original frontend's paths, invalid fields)"),
        (401, "Unauthenticated", "Missing, invalid or expired credentials"),
        (403, "Forbidden", "The caller may not do this"),
        (404, "NotFound", "No such resource"),
        (409, "Conflict", "Already exists (username or email taken)"),
        (413, "PayloadTooLarge", "The body is larger than MAX_BODY_BYTES"),
        (415, "UnsupportedMediaType", "The body is not application/json"),
        (422, "ValidationFailed", "Missing or invalid fields, listed in `errors`"),
        (429, "RateLimited", "Too many attempts; wait Retry-After seconds"),
        (503, "ServiceUnavailable", "A dependency is down; retry after Retry-After seconds"),
    ]

    static func problemResponse(_ description: String, headers: [(String, JSONValue)]) -> JSONValue {
        [
            "description": .string(description),
            "headers": .object([("X-Request-Id", ["$ref": "#/components/headers/X-Request-Id"])] + headers),
            "content": ["application/problem+json": ["schema": ref("Problem")]],
        ]
    }

    static var responses: JSONValue {
        var members: [(String, JSONValue)] = problemResponses.map { entry in
            var headers: [(String, JSONValue)] = []
            if entry.status == 429 || entry.status == 503 { headers.append(("Retry-After", ["$ref": "#/components/headers/Retry-After"])) }
            if entry.status == 401 { headers.append(("WWW-Authenticate", ["$ref": "#/components/headers/WWW-Authenticate"])) }
            return (entry.name, problemResponse(entry.description, headers: headers))
        }
        members.append(("Error", problemResponse("Any other failure: 404, 405, 500, 503 (with Retry-After) or 504", headers: [])))
        return .object(members)
    }

    static let headers: JSONValue = [
        "X-Request-Id": [
            "description": "The request's id: the client's own when it is 1-128 characters of [A-Za-z0-9._-], else a new one.",
            "schema": string,
        ],
        "Retry-After": ["description": "Seconds to wait before retrying.", "schema": ["type": "integer", "minimum": 1]],
        "WWW-Authenticate": ["description": "Bearer challenge (RFC 6750).", "schema": string],
        "Location": ["description": "URL of the created resource.", "schema": string],
    ]

    static let securitySchemes: JSONValue = [
        "bearerAuth": [
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "The `access` token from login, register (legacy) or refresh.",
        ],
    ]
}
