/// The `components` of the OpenAPI document: schemas of every body, the problem responses, headers
/// and the bearer scheme. Field names match the Codable types in Models/ (tests decode examples).
enum OpenAPISchemas {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static let string: JSONValue = ["type": "string"]
    /// A required text field: empty counts as missing.
    static let text: JSONValue = ["type": "string", "minLength": 1]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let roleEnum: JSONValue = ["type": "string", "enum": .array(RoleName.all.map(JSONValue.string))]

    static let difficultyEnum: JSONValue = ["type": "string", "enum": .array(Names.difficulty.names.map(JSONValue.string))]
    static let visibilityEnum: JSONValue = ["type": "string", "enum": .array(Names.visibility.names.map(JSONValue.string))]
    static let statusEnum: JSONValue = ["type": "string", "enum": .array(Names.status.names.map(JSONValue.string))]
    static let verdictEnum: JSONValue = ["type": "string", "enum": .array(Names.verdict.names.map(JSONValue.string))]
    static let int64: JSONValue = ["type": "integer", "format": "int64"]
    static let int32: JSONValue = ["type": "integer", "format": "int32"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let strings: JSONValue = ["type": "array", "items": string]

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static func nullable(_ schema: JSONValue) -> JSONValue { ["oneOf": [schema, ["type": "null"]]] }
    static func page(_ item: String) -> JSONValue {
        object(
            [("items", array(ref(item))),
             ("next_page_token", ["type": ["string", "null"], "description": "Pass as page_token for the next page; null on the last page."])],
            required: ["items", "next_page_token"]
        )
    }

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
        "LanguageList": object([("items", array(ref("Language")))], required: ["items"]),
        "Language": object(
            [("id", ["type": "string", "description": "Used by problems and submissions (c, cpp, python, javascript, java)."]),
             ("name", string), ("version", string), ("default_template", string)],
            required: ["id", "name", "version", "default_template"]
        ),
        "ProblemPage": page("ProblemSummary"),
        "ProblemSummary": object(
            [("id", int64), ("slug", string), ("title", string), ("tags", strings),
             ("difficulty", nullable(difficultyEnum)), ("visibility", visibilityEnum)],
            required: ["id", "slug", "title", "tags", "difficulty", "visibility"]
        ),
        "ProblemDetail": object(
            ProblemSchemas.common(output: true) + [
                ("id", int64),
                ("author_ids", array(int64)),
                ("revision", ["type": "integer", "format": "int64", "description": "Send back as If-Match (or `revision`) when editing."]),
                ("test_data_version", ["type": "integer", "format": "int64", "description": "0 until tests are uploaded."]),
                ("created_at", dateTime), ("updated_at", dateTime),
            ],
            required: ["id", "slug", "title", "statement", "samples", "tags", "difficulty", "time_limit_ms", "memory_limit_mb",
                       "allowed_languages", "templates", "visibility", "author_ids", "checker", "interactive", "interactor",
                       "scoring", "revision", "test_data_version", "created_at", "updated_at"]
        ),
        "ProblemCreate": object(ProblemSchemas.common(output: false), required: ["slug", "title"]),
        "ProblemUpdate": object(
            ProblemSchemas.common(output: false) + [("revision", ["type": "integer", "format": "int64", "description": "Like If-Match."])],
            required: []
        ),
        "Sample": object([("input", string), ("output", string), ("explanation", string)], required: []),
        "Template": object(
            [("language", string), ("template", ["type": "string", "description": "What the editor starts with."]),
             ("wrapper", ["type": "string", "description": "Hidden code compiled with the submission; shown to staff and authors only."])],
            required: ["language"]
        ),
        "Checker": object(
            [("type", ["type": "string", "enum": .array(Names.checker.names.map(JSONValue.string))]),
             ("abs_tolerance", ["type": "number", "minimum": 0, "description": "float: absolute tolerance."]),
             ("rel_tolerance", ["type": "number", "minimum": 0, "description": "float: relative tolerance."]),
             ("source", ["type": "string", "description": "custom: testlib-style checker; shown to staff and authors only."]),
             ("language", ["type": "string", "description": "custom: the checker's language id."])],
            required: []
        ),
        "Interactor": object(
            [("source", ["type": "string", "description": "Shown to staff and authors only."]), ("language", string)],
            required: []
        ),
        "Scoring": object(
            [("type", ["type": "string", "enum": .array(Names.scoring.names.map(JSONValue.string))]),
             ("groups", array(ref("TestGroup")))],
            required: []
        ),
        "TestGroup": object([("name", string), ("points", int32), ("depends_on", strings)], required: []),
        "TestDataUpload": object(
            [("tests", array(object(
                [("input", string), ("answer", string), ("group", string), ("points", int32)],
                required: ["input", "answer"]
            )))],
            required: ["tests"]
        ),
        "ZipArchive": [
            "type": "string", "contentMediaType": "application/zip",
            "description": "NAME.in / NAME.ans pairs, optionally in GROUP/ folders, and an optional tests.json: {\"groups\": [{\"name\", \"points\", \"depends_on\"}], \"tests\": {\"NAME\": {\"group\", \"points\"}}}",
        ],
        "TestDataInfo": object(
            [("version", int64),
             ("tests", array(object(
                [("name", string), ("group", string), ("points", int32), ("input_size", int64), ("answer_size", int64)],
                required: ["name", "group", "points", "input_size", "answer_size"]
             ))),
             ("total_size", int64), ("created_at", dateTime)],
            required: ["version", "tests", "total_size", "created_at"]
        ),
        "RejudgeResult": object([("queued", ["type": "integer", "description": "Submissions put back in the queue."])], required: ["queued"]),
        "SubmissionCreate": object(
            [("problem", ["type": "string", "description": "The problem's slug."]),
             ("language", ["type": "string", "description": "A language id from /api/v1/languages."]),
             ("source", ["type": "string", "minLength": 1, "maxLength": 65536, "description": "At most 64 KiB of UTF-8."])],
            required: ["problem", "language", "source"]
        ),
        "Submission": object(
            SubmissionSchemas.summary + [
                ("max_score", number), ("current_test", int32), ("total_tests", int32),
                ("tests", array(ref("TestResult"))),
                ("compile_output", ["type": ["string", "null"], "description": "null unless the caller is the author or staff."]),
                ("judged_at", nullable(dateTime)),
                ("source", ["type": "string", "description": "Present for the author and staff only."]),
            ],
            required: ["id", "problem", "problem_id", "user_id", "language", "status", "verdict", "score", "max_score",
                       "current_test", "total_tests", "time_ms", "memory_kb", "tests", "compile_output", "created_at", "judged_at"]
        ),
        "TestResult": object(
            [("index", int32), ("name", string), ("group", string), ("verdict", nullable(verdictEnum)),
             ("time_ms", ["type": "integer", "description": "CPU time."]), ("wall_time_ms", int32), ("memory_kb", int64),
             ("exit_code", ["type": ["integer", "null"], "format": "int32", "description": "The exit status; null when a signal ended the program."]),
             ("signal", ["type": ["integer", "null"], "format": "int32", "description": "The signal that ended the program (11 for SIGSEGV), or null."]),
             ("checker_message", ["type": ["string", "null"], "description": "null unless the caller is the author or staff."]),
             ("points", number)],
            required: ["index", "name", "group", "verdict", "time_ms", "wall_time_ms", "memory_kb", "exit_code", "signal", "checker_message", "points"]
        ),
        "SubmissionSummary": object(
            SubmissionSchemas.summary,
            required: ["id", "problem", "problem_id", "user_id", "language", "status", "verdict", "score", "time_ms", "memory_kb", "created_at"]
        ),
        "SubmissionPage": page("SubmissionSummary"),
        "SubmissionStatusEvent": object(
            [("id", int64), ("status", statusEnum), ("verdict", nullable(verdictEnum)), ("score", number),
             ("current_test", int32), ("total_tests", int32)],
            required: ["id", "status", "verdict", "score", "current_test", "total_tests"]
        ),
        "EventStream": [
            "type": "string",
            "description": "text/event-stream: `event: status` with a SubmissionStatusEvent as data, then `event: done` with a Submission; comments (`: heartbeat`) keep it open.",
        ],
        "PlainText": string,
        "OpenAPIDocument": ["type": "object"],
    ]

    /// Problem responses by status, referenced from operations.
    static let problemResponses: [(status: Int, name: String, description: String)] = [
        (400, "BadRequest", "Malformed JSON or a malformed id in the path (and, on the original frontend's paths, invalid fields)"),
        (401, "Unauthenticated", "Missing, invalid or expired credentials"),
        (403, "Forbidden", "The caller may not do this"),
        (404, "NotFound", "No such resource"),
        (409, "Conflict", "Already exists (username, email or slug taken), or changed concurrently"),
        (412, "PreconditionFailed", "The resource changed since the revision given in If-Match"),
        (413, "PayloadTooLarge", "The body is larger than MAX_BODY_BYTES (test data: MAX_TEST_DATA_BYTES)"),
        (415, "UnsupportedMediaType", "The body is not application/json (or application/zip where accepted)"),
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
