import AlgoProto
import Foundation

/// The jsonb documents of a `problems` row (samples, templates, checker, scoring) and the text
/// forms of its enums. Field names follow the proto so that the stored JSON reads like the API.
enum ProblemDocuments {
    struct Sample: Codable {
        var input: String
        var output: String
        var explanation: String
    }

    struct Template: Codable {
        var language: String
        var template_code: String
        var wrapper_code: String
    }

    struct Checker: Codable {
        var kind: String
        var float_abs_tolerance: Double
        var float_rel_tolerance: Double
        var custom_source: String
        var custom_language: String
    }

    struct Group: Codable {
        var name: String
        var points: Int32
        var depends_on: [String]
    }

    struct Scoring: Codable {
        var kind: String
        var groups: [Group]
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    static func samples(_ samples: [ProblemsV1.Sample]) -> [Sample] {
        samples.map { Sample(input: $0.input, output: $0.output, explanation: $0.explanation) }
    }

    static func samples(_ documents: [Sample]) -> [ProblemsV1.Sample] {
        documents.map {
            var sample = ProblemsV1.Sample()
            sample.input = $0.input
            sample.output = $0.output
            sample.explanation = $0.explanation
            return sample
        }
    }

    static func templates(_ templates: [ProblemsV1.LanguageTemplate]) -> [Template] {
        templates.map { Template(language: $0.language, template_code: $0.templateCode, wrapper_code: $0.wrapperCode) }
    }

    static func templates(_ documents: [Template]) -> [ProblemsV1.LanguageTemplate] {
        documents.map {
            var template = ProblemsV1.LanguageTemplate()
            template.language = $0.language
            template.templateCode = $0.template_code
            template.wrapperCode = $0.wrapper_code
            return template
        }
    }

    static func checker(_ checker: ProblemsV1.Checker) -> Checker {
        Checker(
            kind: checkerKinds.first { $0.value == checker.kind }?.key ?? "tokens",
            float_abs_tolerance: checker.floatAbsTolerance, float_rel_tolerance: checker.floatRelTolerance,
            custom_source: checker.customSource, custom_language: checker.customLanguage
        )
    }

    static func checker(_ document: Checker) -> ProblemsV1.Checker {
        var checker = ProblemsV1.Checker()
        checker.kind = checkerKinds[document.kind] ?? .tokens
        checker.floatAbsTolerance = document.float_abs_tolerance
        checker.floatRelTolerance = document.float_rel_tolerance
        checker.customSource = document.custom_source
        checker.customLanguage = document.custom_language
        return checker
    }

    static func scoring(_ scoring: ProblemsV1.Scoring) -> Scoring {
        Scoring(
            kind: scoring.kind == .ioi ? "ioi" : "icpc",
            groups: scoring.groups.map { Group(name: $0.name, points: $0.points, depends_on: $0.dependsOn) }
        )
    }

    static func scoring(_ document: Scoring) -> ProblemsV1.Scoring {
        var scoring = ProblemsV1.Scoring()
        scoring.kind = document.kind == "ioi" ? .ioi : .icpc
        scoring.groups = document.groups.map {
            var group = ProblemsV1.TestGroup()
            group.name = $0.name
            group.points = $0.points
            group.dependsOn = $0.depends_on
            return group
        }
        return scoring
    }

    static let checkerKinds: [String: ProblemsV1.CheckerKind] = [
        "exact": .exact, "tokens": .tokens, "float": .float, "custom": .custom,
    ]
    static let difficulties: [String: ProblemsV1.Difficulty] = ["easy": .easy, "medium": .medium, "hard": .hard]
    static let visibilities: [String: ProblemsV1.Visibility] = ["draft": .draft, "public": .public]

    static func name(_ difficulty: ProblemsV1.Difficulty) -> String? {
        difficulties.first { $0.value == difficulty }?.key
    }

    static func name(_ visibility: ProblemsV1.Visibility) -> String? {
        visibilities.first { $0.value == visibility }?.key
    }
}
