import AlgoProto

/// POST and PATCH /api/v1/problems bodies. Every field is optional: POST requires a few (see
/// ``ProblemsController``), PATCH merges what is present onto the stored problem. Arrays replace
/// the stored ones whole; nested objects (checker, interactor, scoring) merge field by field.
struct ProblemBody: Decodable, Sendable {
    var slug: String?
    var title: String?
    var statement: String?
    var inputFormat: String?
    var outputFormat: String?
    var samples: [SampleBody]?
    var tags: [String]?
    var difficulty: String?
    var timeLimitMs: Int32?
    var memoryLimitMb: Int32?
    var allowedLanguages: [String]?
    var templates: [TemplateBody]?
    var visibility: String?
    var checker: CheckerBody?
    var interactive: Bool?
    var interactor: InteractorBody?
    var scoring: ScoringBody?
    /// PATCH: the revision the editor loaded (like If-Match).
    var revision: Int64?

    enum CodingKeys: String, CodingKey {
        case slug, title, statement, samples, tags, difficulty, templates, visibility, checker, interactive, interactor, scoring, revision
        case inputFormat = "input_format"
        case outputFormat = "output_format"
        case timeLimitMs = "time_limit_ms"
        case memoryLimitMb = "memory_limit_mb"
        case allowedLanguages = "allowed_languages"
    }

    struct SampleBody: Decodable, Sendable {
        var input: String?
        var output: String?
        var explanation: String?
    }

    struct TemplateBody: Decodable, Sendable {
        var language: String?
        var template: String?
        var wrapper: String?
    }

    struct CheckerBody: Decodable, Sendable {
        var type: String?
        var absTolerance: Double?
        var relTolerance: Double?
        var source: String?
        var language: String?

        enum CodingKeys: String, CodingKey {
            case type, source, language
            case absTolerance = "abs_tolerance"
            case relTolerance = "rel_tolerance"
        }
    }

    struct InteractorBody: Decodable, Sendable {
        var source: String?
        var language: String?
    }

    struct ScoringBody: Decodable, Sendable {
        var type: String?
        var groups: [GroupBody]?
    }

    struct GroupBody: Decodable, Sendable {
        var name: String?
        var points: Int32?
        var dependsOn: [String]?

        enum CodingKeys: String, CodingKey {
            case name, points
            case dependsOn = "depends_on"
        }
    }

    /// Writes the fields present onto `problem`; unknown enum names are recorded in `fields`.
    /// Ranges, formats and cross-field rules are the Problems service's (its field violations
    /// come back as the same 422).
    func apply(to problem: inout ProblemsV1.Problem, _ fields: inout RequiredFields) {
        if let slug { problem.slug = slug }
        if let title { problem.title = title }
        if let statement { problem.statementMarkdown = statement }
        if let inputFormat { problem.inputFormat = inputFormat }
        if let outputFormat { problem.outputFormat = outputFormat }
        if let samples {
            problem.samples = samples.map { body in
                var sample = ProblemsV1.Sample()
                sample.input = body.input ?? ""
                sample.output = body.output ?? ""
                sample.explanation = body.explanation ?? ""
                return sample
            }
        }
        if let tags { problem.tags = tags }
        if let difficulty { problem.difficulty = Self.parse(difficulty, Names.difficulty, "difficulty", &fields) ?? problem.difficulty }
        if let timeLimitMs { problem.timeLimitMs = timeLimitMs }
        if let memoryLimitMb { problem.memoryLimitMb = memoryLimitMb }
        if let allowedLanguages { problem.allowedLanguages = allowedLanguages }
        if let templates {
            problem.templates = templates.enumerated().map { index, body in
                var template = ProblemsV1.LanguageTemplate()
                template.language = fields.require(body.language, "templates[\(index)].language")
                template.templateCode = body.template ?? ""
                template.wrapperCode = body.wrapper ?? ""
                return template
            }
        }
        if let visibility { problem.visibility = Self.parse(visibility, Names.visibility, "visibility", &fields) ?? problem.visibility }
        if let checker { checker.apply(to: &problem, &fields) }
        if let interactive { problem.interactive = interactive }
        if let interactor {
            if let source = interactor.source { problem.interactorSource = source }
            if let language = interactor.language { problem.interactorLanguage = language }
        }
        if let scoring { scoring.apply(to: &problem, &fields) }
    }

    static func parse<Value>(_ name: String, _ names: WireNames<Value>, _ field: String, _ fields: inout RequiredFields) -> Value? {
        guard let value = names.parse(name) else {
            fields.add(field, names.mustBeOneOf)
            return nil
        }
        return value
    }
}

extension ProblemBody.CheckerBody {
    func apply(to problem: inout ProblemsV1.Problem, _ fields: inout RequiredFields) {
        var checker = problem.checker ?? .init()
        if let type { checker.kind = ProblemBody.parse(type, Names.checker, "checker.type", &fields) ?? checker.kind }
        if let absTolerance { checker.floatAbsTolerance = absTolerance }
        if let relTolerance { checker.floatRelTolerance = relTolerance }
        if let source { checker.customSource = source }
        if let language { checker.customLanguage = language }
        problem.checker = checker
    }
}

extension ProblemBody.ScoringBody {
    func apply(to problem: inout ProblemsV1.Problem, _ fields: inout RequiredFields) {
        var scoring = problem.scoring ?? .init()
        if let type { scoring.kind = ProblemBody.parse(type, Names.scoring, "scoring.type", &fields) ?? scoring.kind }
        if let groups {
            scoring.groups = groups.map { body in
                var group = ProblemsV1.TestGroup()
                group.name = body.name ?? ""
                group.points = body.points ?? 0
                group.dependsOn = body.dependsOn ?? []
                return group
            }
        }
        problem.scoring = scoring
    }
}
