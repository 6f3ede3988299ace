import RPC

extension RPCError {
    /// Storage failures become statuses a caller can act on; details stay in the logs.
    public static func storage(_ error: any Error) -> any Error {
        guard let error = error as? PostgresError else { return error }
        switch error.kind {
        case .connectionFailure: return RPCError(.unavailable, "database unavailable")
        case .serializationFailure, .deadlockDetected: return RPCError(.aborted, "concurrent update; retry")
        case .queryCanceled: return RPCError(.deadlineExceeded, "database query timed out")
        default: return error
        }
    }
}

/// Runs a storage call, turning database failures into statuses callers can act on.
public func storage<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw RPCError.storage(error)
    }
}
