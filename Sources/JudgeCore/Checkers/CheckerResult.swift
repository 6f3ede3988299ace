/// What a checker (built-in, custom or interactor) says about one output.
struct CheckerResult: Sendable, Hashable {
    /// AC, WA or PE; SE when the checker itself failed.
    var verdict: Verdict
    var message: String
    /// The fraction of the test's points earned, 0...1 (1 for AC).
    var fraction: Double

    static func accepted(_ message: String = "ok") -> Self { .init(verdict: .accepted, message: message, fraction: 1) }
    static func wrong(_ message: String) -> Self { .init(verdict: .wrongAnswer, message: message, fraction: 0) }
    static func presentation(_ message: String) -> Self { .init(verdict: .presentationError, message: message, fraction: 0) }
    static func failed(_ message: String) -> Self { .init(verdict: .systemError, message: message, fraction: 0) }
}

enum CheckerText {
    /// Messages are shown to users: kept short and valid UTF-8.
    static let messageLimit = 256

    static func quoted(_ token: [UInt8]) -> String {
        "'" + self.truncated(token, limit: 64) + "'"
    }

    static func truncated(_ bytes: some Collection<UInt8>, limit: Int = messageLimit) -> String {
        if bytes.count <= limit { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.prefix(limit), as: UTF8.self) + "…"
    }
}
