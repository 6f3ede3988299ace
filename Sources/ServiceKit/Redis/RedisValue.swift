/// A Redis reply (RESP2).
public enum RedisValue: Sendable, Hashable {
    case null
    case status(String)
    /// An error reply inside a pipeline or an array (a top-level one is thrown as `.serverError`).
    case error(String)
    case integer(Int64)
    case bulk([UInt8])
    case array([RedisValue])

    /// Bulk strings (decoded as UTF-8) and status replies; nil otherwise.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        default: return nil
        }
    }

    /// Integer replies, and bulk strings holding a decimal integer (e.g. `GET` of a counter).
    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk(let bytes): return Int64(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The raw bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// A failed Redis call.
public struct RedisError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Hashable {
        /// Cannot connect, or the connection broke: callers answer UNAVAILABLE.
        case connectionFailure
        /// No reply within `commandTimeout` (the connection is discarded).
        case timeout
        /// The server answered with an error (`WRONGTYPE …`, `ERR …`); the connection stays usable.
        case serverError
        /// The reply could not be parsed, or was not the shape the helper expects.
        case protocolError
        /// Refused before sending, e.g. a BLOCK that would outlive the command timeout.
        case invalidArgument
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A server error; the part where Redis echoes a command's arguments is cut off, since
    /// those may be secrets or user data.
    static func server(_ message: String) -> RedisError {
        let cut = message.range(of: ", with args beginning with").map { String(message[..<$0.lowerBound]) } ?? message
        return RedisError(.serverError, cut)
    }

    public var description: String { "RedisError.\(self.kind): \(self.message)" }
}
