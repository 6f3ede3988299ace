import AlgoProto
import RPC
import ServiceKit

extension RPCError {
    /// INVALID_ARGUMENT with per-field details that Edge turns into a problem body.
    static func invalid(_ violations: [CommonV1.FieldViolation]) -> RPCError {
        var details = CommonV1.ErrorDetails()
        details.fieldViolations = violations
        let summary = violations.map { "\($0.field) \($0.description)" }.joined(separator: "; ")
        return RPCError(.invalidArgument, summary, details: details.encoded().readableBytesView.map { $0 })
    }

    static func alreadyExists(_ field: String, _ description: String) -> RPCError {
        var details = CommonV1.ErrorDetails()
        details.fieldViolations = [CommonV1.FieldViolation(field, description)]
        return RPCError(.alreadyExists, "\(field) \(description)", details: details.encoded().readableBytesView.map { $0 })
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
