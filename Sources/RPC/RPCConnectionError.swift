/// A connection-level failure: the connection is closed after an ERROR frame carrying the reason.
public struct RPCConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Reason codes carried in ERROR frames (docs/rpc-protocol.md §8).
    public enum Reason: UInt8, Sendable, Hashable {
        case protocolViolation = 1
        case frameSize = 2
        case unknownFrameType = 3
        case badMagic = 4
        case unsupportedVersion = 5
        case authenticationFailed = 6
        case unexpectedFrame = 7
        case duplicateStreamID = 8
        case malformedFrame = 9
        case keepaliveTimeout = 10
        case shuttingDown = 11
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason) (\(reason.rawValue)): \(message)" }
}
