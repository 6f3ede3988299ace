import AlgoProto
import ServiceKit

/// How a problem maps onto a `problems` row, both ways.
enum ProblemRow {
    /// The columns an insert or update writes, with the casts their bound text needs.
    static let writtenColumns: [(name: String, cast: String)] = [
        ("slug", ""), ("title", ""), ("statement_markdown", ""), ("input_format", ""), ("output_format", ""),
        ("samples", "::jsonb"), ("tags", "::text[]"), ("difficulty", ""), ("time_limit_ms", ""), ("memory_limit_mb", ""),
        ("allowed_languages", "::text[]"), ("templates", "::jsonb"), ("visibility", ""), ("author_ids", "::bigint[]"),
        ("checker", "::jsonb"), ("interactive", ""), ("interactor_source", ""), ("interactor_language", ""), ("scoring", "::jsonb"),
    ]

    /// Every column, arrays as JSON (parsing array literals is JSON's job, not ours).
    static let columns = """
        id, slug, title, statement_markdown, input_format, output_format, samples::text AS samples,
        array_to_json(tags)::text AS tags, difficulty, time_limit_ms, memory_limit_mb,
        array_to_json(allowed_languages)::text AS allowed_languages, templates::text AS templates, visibility,
        array_to_json(author_ids)::text AS author_ids, checker::text AS checker, interactive, interactor_source,
        interactor_language, scoring::text AS scoring, revision, test_data_version,
        (extract(epoch from created_at) * 1000)::bigint AS created_at_ms,
        (extract(epoch from updated_at) * 1000)::bigint AS updated_at_ms
        """

    static let summaryColumns = "id, slug, title, array_to_json(tags)::text AS tags, difficulty, visibility"

    /// Values for `writtenColumns`, in order, from a validated problem.
    static func binds(_ problem: ProblemsV1.Problem) throws -> [any PostgresBindable] {
        [
            problem.slug, problem.title, problem.statementMarkdown, problem.inputFormat, problem.outputFormat,
            try ProblemDocuments.encode(ProblemDocuments.samples(problem.samples)),
            arrayLiteral(problem.tags),
            ProblemDocuments.name(problem.difficulty) ?? "",
            problem.timeLimitMs, problem.memoryLimitMb,
            arrayLiteral(problem.allowedLanguages),
            try ProblemDocuments.encode(ProblemDocuments.templates(problem.templates)),
            ProblemDocuments.name(problem.visibility) ?? "",
            "{" + problem.authorIds.map(String.init).joined(separator: ",") + "}",
            try ProblemDocuments.encode(ProblemDocuments.checker(problem.checker ?? .init())),
            problem.interactive, problem.interactorSource, problem.interactorLanguage,
            try ProblemDocuments.encode(ProblemDocuments.scoring(problem.scoring ?? .init())),
        ]
    }

    static func problem(_ row: PostgresRow) throws -> ProblemsV1.Problem {
        var problem = ProblemsV1.Problem()
        problem.id = try row.decode("id")
        problem.slug = try row.decode("slug")
        problem.title = try row.decode("title")
        problem.statementMarkdown = try row.decode("statement_markdown")
        problem.inputFormat = try row.decode("input_format")
        problem.outputFormat = try row.decode("output_format")
        problem.samples = ProblemDocuments.samples(try ProblemDocuments.decode([ProblemDocuments.Sample].self, row.decode("samples")))
        problem.tags = try ProblemDocuments.decode([String].self, row.decode("tags"))
        problem.difficulty = ProblemDocuments.difficulties[try row.decode("difficulty", as: String.self)] ?? .unspecified
        problem.timeLimitMs = try row.decode("time_limit_ms")
        problem.memoryLimitMb = try row.decode("memory_limit_mb")
        problem.allowedLanguages = try ProblemDocuments.decode([String].self, row.decode("allowed_languages"))
        problem.templates = ProblemDocuments.templates(try ProblemDocuments.decode([ProblemDocuments.Template].self, row.decode("templates")))
        problem.visibility = ProblemDocuments.visibilities[try row.decode("visibility", as: String.self)] ?? .unspecified
        problem.authorIds = try ProblemDocuments.decode([Int64].self, row.decode("author_ids"))
        problem.checker = ProblemDocuments.checker(try ProblemDocuments.decode(ProblemDocuments.Checker.self, row.decode("checker")))
        problem.interactive = try row.decode("interactive")
        problem.interactorSource = try row.decode("interactor_source")
        problem.interactorLanguage = try row.decode("interactor_language")
        problem.scoring = ProblemDocuments.scoring(try ProblemDocuments.decode(ProblemDocuments.Scoring.self, row.decode("scoring")))
        problem.revision = try row.decode("revision")
        problem.testDataVersion = try row.decode("test_data_version")
        problem.createdAtMs = try row.decode("created_at_ms")
        problem.updatedAtMs = try row.decode("updated_at_ms")
        return problem
    }

    static func summary(_ row: PostgresRow) throws -> ProblemsV1.ProblemSummary {
        var summary = ProblemsV1.ProblemSummary()
        summary.id = try row.decode("id")
        summary.slug = try row.decode("slug")
        summary.title = try row.decode("title")
        summary.tags = try ProblemDocuments.decode([String].self, row.decode("tags"))
        summary.difficulty = ProblemDocuments.difficulties[try row.decode("difficulty", as: String.self)] ?? .unspecified
        summary.visibility = ProblemDocuments.visibilities[try row.decode("visibility", as: String.self)] ?? .unspecified
        return summary
    }

    /// A PostgreSQL array literal of quoted elements: `{"a","b \"c\""}`.
    static func arrayLiteral(_ items: [String]) -> String {
        let quoted = items.map { item in
            "\"" + item.replacingBackslashesAndQuotes + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}

extension String {
    fileprivate var replacingBackslashesAndQuotes: String {
        var out = ""
        out.reserveCapacity(self.utf8.count)
        for character in self {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
