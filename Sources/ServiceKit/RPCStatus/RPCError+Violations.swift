import AlgoProto
import RPC

extension RPCError {
    /// INVALID_ARGUMENT with per-field details that Edge turns into a problem body.
    public static func invalid(_ violations: [CommonV1.FieldViolation]) -> RPCError {
        .withViolations(.invalidArgument, violations)
    }

    public static func invalid(_ field: String, _ description: String) -> RPCError {
        .invalid([.init(field, description)])
    }

    public static func alreadyExists(_ field: String, _ description: String) -> RPCError {
        .withViolations(.alreadyExists, [.init(field, description)])
    }

    /// A size or count limit; the field names what is too large.
    public static func tooLarge(_ field: String, _ description: String) -> RPCError {
        .withViolations(.resourceExhausted, [.init(field, description)])
    }

    public static func withViolations(_ code: RPCStatusCode, _ violations: [CommonV1.FieldViolation]) -> RPCError {
        var details = CommonV1.ErrorDetails()
        details.fieldViolations = violations
        let summary = violations.map { "\($0.field) \($0.description)" }.joined(separator: "; ")
        return RPCError(code, summary, details: details.encoded().readableBytesView.map { $0 })
    }
}

extension CommonV1.FieldViolation {
    public init(_ field: String, _ description: String) {
        self.init()
        self.field = field
        self.description = description
    }
}
