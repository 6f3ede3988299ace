/// Status codes, numbered as gRPC's so that operators and tools know them.
public enum RPCStatusCode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    public var description: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}

/// A failed call: a status code, a message for humans, and whether the server never began it.
///
/// Handlers throw it to choose the status; any other error becomes `INTERNAL` with a generic message,
/// so that no internal detail leaks to callers.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: RPCStatusCode
    public var message: String
    /// The request was not processed at all, so any method may be retried, idempotent or not.
    public var notProcessed: Bool
    /// Structured details for the caller (an encoded `algosports.common.v1.ErrorDetails`), or empty.
    public var details: [UInt8]

    public init(_ code: RPCStatusCode, _ message: String, notProcessed: Bool = false, details: [UInt8] = []) {
        self.code = code
        self.message = message
        self.notProcessed = notProcessed
        self.details = details
    }

    public var description: String { "\(code): \(message)\(notProcessed ? " (not processed)" : "")" }
}
