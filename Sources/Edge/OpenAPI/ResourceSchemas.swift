/// Property lists shared by several schemas of problems and submissions.
enum ProblemSchemas {
    /// The editable fields; `output` adds what only responses carry (wrappers and sources appear
    /// in responses to staff and authors only).
    static func common(output: Bool) -> [(String, JSONValue)] {
        typealias S = OpenAPISchemas
        return [
            ("slug", ["type": "string", "pattern": "^[a-z0-9-]{3,64}$"]),
            ("title", S.string),
            ("statement", ["type": "string", "description": "Markdown."]),
            ("input_format", S.string),
            ("output_format", S.string),
            ("samples", S.array(S.ref("Sample"))),
            ("tags", S.strings),
            ("difficulty", output ? S.nullable(S.difficultyEnum) : S.difficultyEnum),
            ("time_limit_ms", ["type": "integer", "description": "Default 1000 at creation."]),
            ("memory_limit_mb", ["type": "integer", "description": "Default 256 at creation."]),
            ("allowed_languages", ["type": "array", "items": S.string, "description": "Empty allows every language."]),
            ("templates", S.array(S.ref("Template"))),
            ("visibility", S.visibilityEnum),
            ("checker", S.ref("Checker")),
            ("interactive", S.boolean),
            ("interactor", output ? S.nullable(S.ref("Interactor")) : S.ref("Interactor")),
            ("scoring", S.ref("Scoring")),
        ]
    }
}

enum SubmissionSchemas {
    typealias S = OpenAPISchemas

    static let summary: [(String, JSONValue)] = [
        ("id", S.int64),
        ("problem", ["type": "string", "description": "The problem's slug."]),
        ("problem_id", S.int64),
        ("user_id", S.int64),
        ("language", S.string),
        ("status", S.statusEnum),
        ("verdict", ["oneOf": [S.verdictEnum, ["type": "null"]], "description": "null until done."]),
        ("score", S.number),
        ("time_ms", ["type": "integer", "description": "Largest CPU time of a test."]),
        ("memory_kb", ["type": "integer", "description": "Largest peak memory of a test."]),
        ("created_at", S.dateTime),
    ]
}
