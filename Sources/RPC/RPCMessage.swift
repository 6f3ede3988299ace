import NIOCore

/// A protobuf message encoded and decoded by libprotobuf-c.
///
/// Conformances are generated from `proto/` by `tools/protoc-gen-swiftpbc`; never write one by hand.
public protocol RPCMessage: Sendable, Equatable {
    init()
    /// Appends the protobuf encoding of `self` to `buffer`.
    func encode(into buffer: inout ByteBuffer)
    /// Decodes the protobuf encoding in `bytes` (all readable bytes).
    /// - Throws: ``RPCMessageDecodingError`` when the bytes are not a valid message of this type.
    init(decoding bytes: ByteBuffer) throws
}

extension RPCMessage {
    /// The protobuf encoding of `self` as a new buffer.
    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        self.encode(into: &buffer)
        return buffer
    }
}

/// The bytes were not a valid protobuf message of the expected type.
public struct RPCMessageDecodingError: Error, Hashable, CustomStringConvertible {
    public var messageType: String
    public init(messageType: String) { self.messageType = messageType }
    public var description: String { "malformed protobuf for \(messageType)" }
}
