import AlgoProto
import RPC
import ServiceKit

extension RPCError {
    /// INVALID_ARGUMENT with per-field details that Edge turns into a problem body.
    static func invalid(_ violations: [CommonV1.FieldViolation]) -> RPCError {
        .withViolations(.invalidArgument, violations)
    }

    static func invalid(_ field: String, _ description: String) -> RPCError {
        .invalid([.init(field, description)])
    }

    static func alreadyExists(_ field: String, _ description: String) -> RPCError {
        .withViolations(.alreadyExists, [.init(field, description)])
    }

    /// A size or count limit of test data; the field names the file or test.
    static func tooLarge(_ field: String, _ description: String) -> RPCError {
        .withViolations(.resourceExhausted, [.init(field, description)])
    }

    private static func withViolations(_ code: RPCStatusCode, _ violations: [CommonV1.FieldViolation]) -> RPCError {
        var details = CommonV1.ErrorDetails()
        details.fieldViolations = violations
        let summary = violations.map { "\($0.field) \($0.description)" }.joined(separator: "; ")
        return RPCError(code, summary, details: details.encoded().readableBytesView.map { $0 })
    }

    /// Storage failures become statuses a caller can act on; details stay in the logs.
    static func storage(_ error: any Error) -> any Error {
        guard let error = error as? PostgresError else { return error }
        switch error.kind {
        case .connectionFailure: return RPCError(.unavailable, "database unavailable")
        case .serializationFailure, .deadlockDetected: return RPCError(.aborted, "concurrent update; retry")
        case .queryCanceled: return RPCError(.deadlineExceeded, "database query timed out")
        default: return error
        }
    }
}

extension TestDataError {
    /// Limits are RESOURCE_EXHAUSTED, anything malformed INVALID_ARGUMENT; both name the file.
    var rpcError: RPCError {
        switch self {
        case .invalid(let field, let message): .invalid(field, message)
        case .tooLarge(let field, let message): .tooLarge(field, message)
        }
    }
}
