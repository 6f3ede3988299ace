import AlgoProto
import Hummingbird
import NIOCore
import RPC

extension Problem {
    /// The HTTP answer for a failed call to a service.
    ///
    /// Client errors keep the service's message (services write them for end users); server-side
    /// failures get a fixed text so that no address, query or stack detail leaks out.
    init(_ error: RPCError) {
        let details = Self.details(error.details)
        let fieldErrors = details?.fieldViolations.map { FieldError(field: $0.field, detail: $0.description) } ?? []
        let retryAfter = details.map { Int(($0.retryAfterMs + 999) / 1000) } ?? 0
        switch error.code {
        case .unauthenticated:
            self = .unauthenticated(error.message)
        case .permissionDenied:
            self.init(.forbidden, error.message)
        case .notFound:
            self.init(.notFound, error.message)
        case .alreadyExists:
            self.init(.conflict, error.message, errors: fieldErrors)
        case .failedPrecondition, .aborted:
            self.init(.conflict, error.message, errors: fieldErrors)
        case .invalidArgument, .outOfRange:
            self.init(.validationError, error.message, errors: fieldErrors)
        case .resourceExhausted:
            self = .retryAfter(.rateLimited, "Too many requests; try again later.", seconds: retryAfter)
        case .unavailable:
            self = .retryAfter(.serviceUnavailable, "A service Edge depends on is unavailable; try again shortly.", seconds: retryAfter)
        case .deadlineExceeded:
            self.init(.timeout, "A service Edge depends on did not answer in time.")
        default:
            self = .internalError
        }
    }

    private static func details(_ bytes: [UInt8]) -> CommonV1.ErrorDetails? {
        guard !bytes.isEmpty else { return nil }
        return try? CommonV1.ErrorDetails(decoding: ByteBuffer(bytes: bytes))
    }
}
