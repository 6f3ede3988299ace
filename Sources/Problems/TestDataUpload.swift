import AlgoProto

/// One test of a new version, before storage.
struct PreparedTest: Sendable {
    var name: String
    var group: String
    var points: Int32
    var input: [UInt8]
    var answer: [UInt8]
    var inputSHA256: [UInt8] = []
    var answerSHA256: [UInt8] = []
}

/// A refused upload; the field names the file or test at fault.
enum TestDataError: Error {
    case invalid(String, String)
    case tooLarge(String, String)
}

/// Turns PutTestData's content (a TestCaseList or a zip) into checked, hashed, ordered tests.
/// CPU-heavy (inflating, hashing): callers run it off the event loop.
struct TestDataUpload: Sendable {
    var tests: [PreparedTest]
    /// From tests.json: they replace the problem's scoring groups.
    var groups: [ProblemsV1.TestGroup]?

    var totalSize: Int { self.tests.reduce(0) { $0 + $1.input.count + $1.answer.count } }

    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")

    /// `problemGroups` are the problem's declared groups; with IOI scoring every test must name one.
    static func prepare(
        _ content: ProblemsV1.PutTestDataRequest.Content?, limits: TestDataLimits, scoring: ProblemsV1.Scoring
    ) throws(TestDataError) -> TestDataUpload {
        var upload: TestDataUpload
        switch content {
        case .tests(let list)?:
            upload = try fromList(list.tests, limits: limits)
        case .zip(let bytes)?:
            guard bytes.count <= limits.maximumUploadBytes else {
                throw .tooLarge("zip", "is \(bytes.count) bytes; uploads are limited to \(limits.maximumUploadBytes)")
            }
            upload = try fromZip(bytes, limits: limits)
        case nil:
            throw .invalid("content", "tests or zip is required")
        }
        guard !upload.tests.isEmpty else { throw .invalid("tests", "at least one test is required") }
        try upload.checkGroups(scoring: scoring)
        upload.tests.sort { NaturalOrder.less($0.name, $1.name) }
        for index in upload.tests.indices {
            upload.tests[index].inputSHA256 = Digest.sha256(upload.tests[index].input)
            upload.tests[index].answerSHA256 = Digest.sha256(upload.tests[index].answer)
        }
        return upload
    }

    private static func fromList(_ list: [ProblemsV1.TestCase], limits: TestDataLimits) throws(TestDataError) -> TestDataUpload {
        guard list.count <= limits.maximumTests else {
            throw .tooLarge("tests", "has \(list.count) tests; at most \(limits.maximumTests) are accepted")
        }
        var tests: [PreparedTest] = []
        var names: Set<String> = []
        var total = 0
        for (index, test) in list.enumerated() {
            // Edge's JSON has no names: tests are numbered in the order given.
            let name = test.name.isEmpty ? String(index + 1) : test.name
            let field = "tests[\(index)]"
            try checkName(name, field: "\(field).name")
            guard names.insert(name).inserted else { throw .invalid("\(field).name", "test \"\(name)\" appears twice") }
            for (part, size) in [("input", test.input.count), ("answer", test.answer.count)] where size > limits.maximumFileBytes {
                throw .tooLarge("\(field).\(part)", "of test \"\(name)\" is \(size) bytes; the limit per file is \(limits.maximumFileBytes)")
            }
            total += test.input.count + test.answer.count
            guard total <= limits.maximumVersionBytes else {
                throw .tooLarge(field, "test \"\(name)\" brings the test data past \(limits.maximumVersionBytes) bytes, the limit per version")
            }
            try checkPoints(test.points, field: "\(field).points")
            tests.append(PreparedTest(name: name, group: test.group, points: test.points, input: test.input, answer: test.answer))
        }
        return TestDataUpload(tests: tests, groups: nil)
    }

    private static func fromZip(_ bytes: [UInt8], limits: TestDataLimits) throws(TestDataError) -> TestDataUpload {
        let zip: ZipReader
        do {
            zip = try ZipReader(
                bytes,
                limits: .init(
                    maximumEntries: 2 * limits.maximumTests + 16, maximumEntryBytes: limits.maximumFileBytes,
                    maximumTotalBytes: limits.maximumVersionBytes
                )
            )
        } catch {
            throw Self.map(error)
        }
        var inputs: [String: ZipReader.Entry] = [:]
        var answers: [String: ZipReader.Entry] = [:]
        var config: ZipReader.Entry?
        for entry in zip.entries {
            let components = entry.name.split(separator: "/")
            // Archivers' metadata, not tests.
            if components.first == "__MACOSX" || components.last?.hasPrefix(".") == true { continue }
            if entry.name == "tests.json" { config = entry; continue }
            guard components.count <= 2 else {
                throw .invalid("zip:\(entry.name)", "is nested too deep; use NAME.in or GROUP/NAME.in")
            }
            if entry.name.hasSuffix(".in") {
                inputs[String(entry.name.dropLast(3))] = entry
            } else if entry.name.hasSuffix(".ans") {
                answers[String(entry.name.dropLast(4))] = entry
            } else {
                throw .invalid("zip:\(entry.name)", "is not a test file; expected NAME.in, NAME.ans or tests.json")
            }
        }
        for name in inputs.keys where answers[name] == nil { throw .invalid("zip:\(name).in", "has no \(name).ans") }
        for name in answers.keys where inputs[name] == nil { throw .invalid("zip:\(name).ans", "has no \(name).in") }
        guard inputs.count <= limits.maximumTests else {
            throw .tooLarge("zip", "has \(inputs.count) tests; at most \(limits.maximumTests) are accepted")
        }

        var json: TestsJSON?
        if let config { json = try TestsJSON.parse(try read(zip, config)) }
        var tests: [PreparedTest] = []
        for (name, inputEntry) in inputs {
            try checkName(name, field: "zip:\(name).in")
            let overrides = json?.tests?[name]
            let directory = name.contains("/") ? String(name.split(separator: "/")[0]) : ""
            let points = overrides?.points ?? 0
            try checkPoints(points, field: "tests.json:\(name).points")
            tests.append(PreparedTest(
                name: name, group: overrides?.group ?? directory, points: points,
                input: try read(zip, inputEntry), answer: try read(zip, answers[name]!)
            ))
        }
        if let unknown = json?.tests?.keys.first(where: { inputs[$0] == nil }) {
            throw .invalid("tests.json", "names test \"\(unknown)\", which is not in the zip")
        }
        return TestDataUpload(tests: tests, groups: json?.protoGroups)
    }

    /// Groups declared by tests.json (or, with IOI scoring, by the problem) are the only ones a test may name.
    private func checkGroups(scoring: ProblemsV1.Scoring) throws(TestDataError) {
        if let groups = self.groups {
            if let violation = ProblemValidation.groups(groups, field: "tests.json:groups").first {
                throw .invalid(violation.field, violation.description)
            }
        }
        let declared = self.groups ?? (scoring.kind == .ioi ? scoring.groups : nil)
        guard let declared else { return }
        let names = Set(declared.map(\.name))
        for test in self.tests where !names.contains(test.group) {
            throw .invalid("tests:\(test.name)", "names group \"\(test.group)\", which is not declared")
        }
    }

    private static func checkName(_ name: String, field: String) throws(TestDataError) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard name.utf8.count <= 100, components.count <= 2,
              components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy { nameCharacters.contains($0) } })
        else {
            throw .invalid(field, "test name \"\(name)\" must be up to 100 characters of letters, digits, '_', '.', '-' (one optional GROUP/ prefix)")
        }
    }

    private static func checkPoints(_ points: Int32, field: String) throws(TestDataError) {
        guard (0...1_000_000).contains(points) else { throw .invalid(field, "must be between 0 and 1000000") }
    }

    private static func read(_ zip: ZipReader, _ entry: ZipReader.Entry) throws(TestDataError) -> [UInt8] {
        do {
            return try zip.read(entry)
        } catch {
            throw map(error)
        }
    }

    private static func map(_ error: ZipError) -> TestDataError {
        switch error {
        case .malformed(let entry, let message), .unsupported(let entry, let message):
            return .invalid(entry.map { "zip:\($0)" } ?? "zip", message)
        case .tooLarge(let entry, let message):
            return .tooLarge(entry.map { "zip:\($0)" } ?? "zip", message)
        }
    }
}
