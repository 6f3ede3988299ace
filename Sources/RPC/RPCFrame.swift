import NIOCore

/// One frame of the wire protocol (docs/rpc-protocol.md §2).
///
/// `length` is not stored: the encoder writes it and the decoder has already checked it.
public struct RPCFrame: Sendable, Hashable {
    public var type: FrameType
    public var flags: Flags
    public var streamID: UInt32
    public var payload: ByteBuffer

    public init(type: FrameType, flags: Flags = [], streamID: UInt32 = 0, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.payload = payload
    }

    /// Bytes before the payload: length (4), type (1), flags (1), stream id (4).
    public static let headerSize = 10
    /// Where the stream id sits in an encoded frame.
    public static let streamIDOffset = 6
    /// The length field counts type, flags and stream id, so it is never below this.
    public static let minimumLength: UInt32 = 6

    public enum FrameType: UInt8, Sendable, Hashable {
        case hello = 0x01
        case auth = 0x02
        case ready = 0x03
        case request = 0x10
        case response = 0x11
        case cancel = 0x12
        case ping = 0x20
        case pong = 0x21
        case goAway = 0x30
        case error = 0x3F
    }

    public struct Flags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// On a RESPONSE: the server never started the request, so a retry is safe.
        public static let notProcessed = Flags(rawValue: 0x01)
    }
}
