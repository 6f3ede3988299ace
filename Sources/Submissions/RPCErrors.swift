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

    static func invalid(_ field: String, _ description: String) -> RPCError {
        .invalid([CommonV1.FieldViolation(field, description)])
    }

    /// Storage failures become statuses a caller can act on; details stay in the logs.
    static func storage(_ error: any Error) -> any Error {
        switch error {
        case let error as PostgresError:
            switch error.kind {
            case .connectionFailure: return RPCError(.unavailable, "database unavailable")
            case .serializationFailure, .deadlockDetected: return RPCError(.aborted, "concurrent update; retry")
            case .queryCanceled: return RPCError(.deadlineExceeded, "database query timed out")
            default: return error
            }
        default:
            return error
        }
    }
}

/// Runs a storage call, turning database failures into statuses callers can act on.
func storage<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw RPCError.storage(error)
    }
}
