import AlgoProto

/// The API's lowercase names of wire enums, both ways. One table per enum, so that the parser,
/// the writer and the OpenAPI `enum` lists cannot disagree.
struct WireNames<Value: Hashable & Sendable>: Sendable {
    let table: [(name: String, value: Value)]

    var names: [String] { self.table.map(\.name) }

    func name(of value: Value) -> String? {
        self.table.first { $0.value == value }?.name
    }

    func parse(_ name: String) -> Value? {
        self.table.first { $0.name == name }?.value
    }

    /// "must be one of a, b, c", for field errors.
    var mustBeOneOf: String { "must be one of \(self.names.joined(separator: ", "))" }
}

enum Names {
    static let difficulty = WireNames<ProblemsV1.Difficulty>(table: [("easy", .easy), ("medium", .medium), ("hard", .hard)])
    static let visibility = WireNames<ProblemsV1.Visibility>(table: [("draft", .draft), ("public", .public)])
    static let checker = WireNames<ProblemsV1.CheckerKind>(
        table: [("exact", .exact), ("tokens", .tokens), ("float", .float), ("custom", .custom)]
    )
    static let scoring = WireNames<ProblemsV1.ScoringKind>(table: [("icpc", .icpc), ("ioi", .ioi)])
    static let status = WireNames<SubmissionsV1.SubmissionStatus>(
        table: [("queued", .queued), ("compiling", .compiling), ("running", .running), ("done", .done)]
    )
    /// The issue's verdict strings; SKIPPED appears on single tests only.
    static let verdict = WireNames<SubmissionsV1.Verdict>(
        table: [
            ("AC", .ac), ("WA", .wa), ("PE", .pe), ("TLE", .tle), ("MLE", .mle), ("OLE", .ole), ("RE", .re),
            ("SV", .sv), ("CE", .ce), ("SE", .se), ("SKIPPED", .skipped),
        ]
    )
    static let roomKind = WireNames<ProblemsV1.RoomKind>(table: [("general", .general), ("practice", .practice), ("ranking", .ranking)])
    static let versionBump = WireNames<ProblemsV1.VersionBump>(table: [("major", .major), ("minor", .minor), ("micro", .micro)])
    static let matchStatus = WireNames<SubmissionsV1.MatchStatus>(
        table: [("queued", .queued), ("running", .running), ("done", .done), ("failed", .failed)]
    )
    static let matchKind = WireNames<SubmissionsV1.MatchKind>(table: [("challenge", .challenge), ("placement", .placement), ("ranked", .ranked)])
    static let playerStatus = WireNames<SubmissionsV1.PlayerStatus>(
        table: [
            ("ok", .ok), ("timeout", .timeout), ("crash", .crash), ("overflow", .overflow), ("kicked", .kicked),
            ("compilation_error", .compilationError),
        ]
    )
}
