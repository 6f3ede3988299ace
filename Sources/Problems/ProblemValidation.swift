import AlgoProto
import ServiceKit

/// The rules for a problem as the editor saves it. Each failure names the field as in the API
/// (`checker.float_abs_tolerance`, `scoring.groups[1].depends_on`).
///
/// `normalized` also fills defaults (a draft, a tokens checker, ICPC scoring) and clears fields
/// that do not apply (a custom checker's source on a tokens checker, an interactor on a batch
/// problem), so that what is stored is what will be judged.
enum ProblemValidation {
    static let slugCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
    static let tagCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-+ ")
    static let groupCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    static let timeLimits: ClosedRange<Int32> = 100...15_000
    static let memoryLimits: ClosedRange<Int32> = 16...1024
    static let maximumSourceBytes = 256 << 10
    static let maximumTextBytes = 256 << 10
    static let maximumSampleBytes = 64 << 10

    static func normalized(_ input: ProblemsV1.Problem) -> (ProblemsV1.Problem, [CommonV1.FieldViolation]) {
        var problem = input
        var violations: [CommonV1.FieldViolation] = []
        func fail(_ field: String, _ description: String) { violations.append(.init(field, description)) }

        if let violation = slug(problem.slug) { violations.append(violation) }
        let title = problem.title.trimmingWhitespace
        if title.isEmpty || title.count > 200 { fail("title", "must be 1 to 200 characters long") }
        problem.title = title
        for (field, text) in [("statement_markdown", problem.statementMarkdown), ("input_format", problem.inputFormat), ("output_format", problem.outputFormat)]
        where text.utf8.count > maximumTextBytes {
            fail(field, "must be at most \(maximumTextBytes) bytes long")
        }
        if problem.samples.count > 20 { fail("samples", "at most 20 samples") }
        for (index, sample) in problem.samples.enumerated()
        where sample.input.utf8.count + sample.output.utf8.count + sample.explanation.utf8.count > maximumSampleBytes {
            fail("samples[\(index)]", "must be at most \(maximumSampleBytes) bytes long")
        }
        self.tags(&problem, fail)
        if ProblemDocuments.name(problem.difficulty) == nil { fail("difficulty", "must be EASY, MEDIUM or HARD") }
        if !timeLimits.contains(problem.timeLimitMs) {
            fail("time_limit_ms", "must be between \(timeLimits.lowerBound) and \(timeLimits.upperBound)")
        }
        if !memoryLimits.contains(problem.memoryLimitMb) {
            fail("memory_limit_mb", "must be between \(memoryLimits.lowerBound) and \(memoryLimits.upperBound)")
        }
        self.languages(&problem, fail)
        if problem.visibility == .unspecified { problem.visibility = .draft }
        if ProblemDocuments.name(problem.visibility) == nil { fail("visibility", "must be DRAFT or PUBLIC") }
        if problem.authorIds.count > 20 { fail("author_ids", "at most 20 authors") }
        if problem.authorIds.contains(where: { $0 <= 0 }) { fail("author_ids", "must be user ids (positive)") }
        if Set(problem.authorIds).count != problem.authorIds.count { fail("author_ids", "must not repeat an author") }
        self.checker(&problem, fail)
        self.interactor(&problem, fail)
        var scoring = problem.scoring ?? ProblemsV1.Scoring()
        if scoring.kind == .unspecified { scoring.kind = .icpc }
        if scoring.kind != .icpc && scoring.kind != .ioi { fail("scoring.kind", "must be ICPC or IOI") }
        violations += groups(scoring.groups, field: "scoring.groups")
        problem.scoring = scoring
        return (problem, violations)
    }

    static func slug(_ slug: String) -> CommonV1.FieldViolation? {
        guard (3...64).contains(slug.count), slug.allSatisfy({ slugCharacters.contains($0) }) else {
            return .init("slug", "must be 3 to 64 characters of a-z, 0-9 and '-'")
        }
        return nil
    }

    private static func tags(_ problem: inout ProblemsV1.Problem, _ fail: (String, String) -> Void) {
        problem.tags = problem.tags.map { $0.trimmingWhitespace.lowercased() }
        if problem.tags.count > 10 { fail("tags", "at most 10 tags") }
        for (index, tag) in problem.tags.enumerated()
        where tag.isEmpty || tag.count > 32 || !tag.allSatisfy({ tagCharacters.contains($0) }) {
            fail("tags[\(index)]", "must be 1 to 32 characters of a-z, 0-9, space, '-' and '+'")
        }
        if Set(problem.tags).count != problem.tags.count { fail("tags", "must not repeat a tag") }
    }

    private static func languages(_ problem: inout ProblemsV1.Problem, _ fail: (String, String) -> Void) {
        for (index, id) in problem.allowedLanguages.enumerated() where !Languages.ids.contains(id) {
            fail("allowed_languages[\(index)]", "unknown language \"\(id)\" (known: \(Languages.idList))")
        }
        if Set(problem.allowedLanguages).count != problem.allowedLanguages.count {
            fail("allowed_languages", "must not repeat a language")
        }
        let allowed = problem.allowedLanguages.isEmpty ? Languages.ids : Set(problem.allowedLanguages)
        templates(problem.templates, allowed: allowed, fail)
    }

    /// Known and allowed languages, one template each, bounded sizes (problems and games alike).
    static func templates(_ templates: [ProblemsV1.LanguageTemplate], allowed: Set<String>, _ fail: (String, String) -> Void) {
        var seen: Set<String> = []
        for (index, template) in templates.enumerated() {
            if !Languages.ids.contains(template.language) {
                fail("templates[\(index)].language", "unknown language \"\(template.language)\" (known: \(Languages.idList))")
            } else if !allowed.contains(template.language) {
                fail("templates[\(index)].language", "\"\(template.language)\" is not an allowed language of the problem")
            }
            if !seen.insert(template.language).inserted {
                fail("templates[\(index)].language", "a second template for \"\(template.language)\"")
            }
            if template.templateCode.utf8.count > maximumSourceBytes || template.wrapperCode.utf8.count > maximumSourceBytes {
                fail("templates[\(index)]", "template and wrapper must each be at most \(maximumSourceBytes) bytes long")
            }
        }
    }

    private static func checker(_ problem: inout ProblemsV1.Problem, _ fail: (String, String) -> Void) {
        var checker = problem.checker ?? ProblemsV1.Checker()
        if checker.kind == .unspecified { checker.kind = .tokens }
        switch checker.kind {
        case .exact, .tokens:
            let kind = checker.kind
            checker = ProblemsV1.Checker()
            checker.kind = kind
        case .float:
            for (field, value) in [("float_abs_tolerance", checker.floatAbsTolerance), ("float_rel_tolerance", checker.floatRelTolerance)]
            where !(value.isFinite && value >= 0 && value <= 1) {
                fail("checker.\(field)", "must be between 0 and 1")
            }
            checker.customSource = ""
            checker.customLanguage = ""
        case .custom:
            if checker.customSource.isEmpty { fail("checker.custom_source", "is required for a custom checker") }
            if checker.customSource.utf8.count > maximumSourceBytes {
                fail("checker.custom_source", "must be at most \(maximumSourceBytes) bytes long")
            }
            if !Languages.ids.contains(checker.customLanguage) {
                fail("checker.custom_language", "must be one of \(Languages.idList)")
            }
            checker.floatAbsTolerance = 0
            checker.floatRelTolerance = 0
        default:
            fail("checker.kind", "must be EXACT, TOKENS, FLOAT or CUSTOM")
        }
        problem.checker = checker
    }

    private static func interactor(_ problem: inout ProblemsV1.Problem, _ fail: (String, String) -> Void) {
        guard problem.interactive else {
            problem.interactorSource = ""
            problem.interactorLanguage = ""
            return
        }
        if problem.interactorSource.isEmpty { fail("interactor_source", "is required for an interactive problem") }
        if problem.interactorSource.utf8.count > maximumSourceBytes {
            fail("interactor_source", "must be at most \(maximumSourceBytes) bytes long")
        }
        if !Languages.ids.contains(problem.interactorLanguage) {
            fail("interactor_language", "must be one of \(Languages.idList)")
        }
    }

    /// Group names unique, points not negative, dependencies on declared groups and without cycles.
    /// Shared by the problem's scoring and a zip's tests.json.
    static func groups(_ groups: [ProblemsV1.TestGroup], field: String) -> [CommonV1.FieldViolation] {
        var violations: [CommonV1.FieldViolation] = []
        if groups.count > 100 { violations.append(.init(field, "at most 100 groups")) }
        var names: Set<String> = []
        for (index, group) in groups.enumerated() {
            if group.name.count > 32 || !group.name.allSatisfy({ groupCharacters.contains($0) }) {
                violations.append(.init("\(field)[\(index)].name", "must be at most 32 characters of letters, digits, '_' and '-'"))
            }
            if !names.insert(group.name).inserted {
                violations.append(.init("\(field)[\(index)].name", "group \"\(group.name)\" is declared twice"))
            }
            if !(0...1_000_000).contains(group.points) {
                violations.append(.init("\(field)[\(index)].points", "must be between 0 and 1000000"))
            }
        }
        for (index, group) in groups.enumerated() {
            for dependency in group.dependsOn where !names.contains(dependency) || dependency == group.name {
                violations.append(.init(
                    "\(field)[\(index)].depends_on",
                    dependency == group.name ? "a group cannot depend on itself" : "\"\(dependency)\" is not a declared group"
                ))
            }
        }
        if violations.isEmpty, let cycle = dependencyCycle(groups) {
            violations.append(.init(field, "dependencies form a cycle: \(cycle.joined(separator: " -> "))"))
        }
        return violations
    }

    /// A cycle among `depends_on` edges, as the names along it, or nil.
    static func dependencyCycle(_ groups: [ProblemsV1.TestGroup]) -> [String]? {
        let edges = Dictionary(groups.map { ($0.name, $0.dependsOn) }, uniquingKeysWith: { a, _ in a })
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            switch marks[name] {
            case .done: return nil
            case .visiting:
                let start = path.firstIndex(of: name) ?? 0
                return Array(path[start...]) + [name]
            case nil: break
            }
            marks[name] = .visiting
            path.append(name)
            for next in edges[name] ?? [] {
                if let cycle = visit(next) { return cycle }
            }
            path.removeLast()
            marks[name] = .done
            return nil
        }
        for group in groups {
            if let cycle = visit(group.name) { return cycle }
        }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
