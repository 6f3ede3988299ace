import AlgoProto
import Foundation

/// A zip's optional `tests.json`: groups with points and dependencies, and per-test overrides.
///
///     {"groups": [{"name": "small", "points": 30}, {"name": "large", "points": 70, "depends_on": ["small"]}],
///      "tests": {"small/1": {"group": "small", "points": 0}}}
struct TestsJSON: Decodable {
    struct Group: Decodable {
        var name: String
        var points: Int32?
        var depends_on: [String]?
    }

    struct Test: Decodable {
        var group: String?
        var points: Int32?
    }

    var groups: [Group]?
    var tests: [String: Test]?

    static func parse(_ bytes: [UInt8]) throws(TestDataError) -> TestsJSON {
        do {
            return try JSONDecoder().decode(TestsJSON.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalid("tests.json", "is not valid: \(Self.describe(error))")
        } catch {
            throw .invalid("tests.json", "is not valid JSON")
        }
    }

    var protoGroups: [ProblemsV1.TestGroup]? {
        self.groups.map { groups in
            groups.map { group in
                var proto = ProblemsV1.TestGroup()
                proto.name = group.name
                proto.points = group.points ?? 0
                proto.dependsOn = group.depends_on ?? []
                return proto
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
