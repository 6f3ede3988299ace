import NIOCore

/// Splits the byte stream into ``RPCFrame``s, checking the length before it waits for (or allocates) a body.
public struct RPCFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RPCFrame

    /// The largest `length` accepted; raised from the handshake limit once the peer is authenticated.
    public var maximumFrameLength: UInt32

    public init(maximumFrameLength: UInt32) {
        self.maximumFrameLength = maximumFrameLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RPCFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length >= RPCFrame.minimumLength else {
            throw RPCConnectionError(.frameSize, "frame length \(length) is below the minimum of \(RPCFrame.minimumLength)")
        }
        guard length <= self.maximumFrameLength else {
            throw RPCConnectionError(.frameSize, "frame length \(length) exceeds the limit of \(self.maximumFrameLength)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }

        buffer.moveReaderIndex(forwardBy: 4)
        let rawType = buffer.readInteger(as: UInt8.self)!
        let flags = buffer.readInteger(as: UInt8.self)!
        let streamID = buffer.readInteger(as: UInt32.self)!
        let payload = buffer.readSlice(length: Int(length) - Int(RPCFrame.minimumLength))!
        guard let type = RPCFrame.FrameType(rawValue: rawType) else {
            throw RPCConnectionError(.unknownFrameType, "unknown frame type 0x\(String(rawType, radix: 16))")
        }
        return RPCFrame(type: type, flags: .init(rawValue: flags), streamID: streamID, payload: payload)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RPCFrame? {
        try self.decode(buffer: &buffer)
    }
}

extension ByteBuffer {
    /// Writes a frame header followed by `payload`.
    @inlinable
    public mutating func writeRPCFrame(_ frame: RPCFrame) {
        self.writeRPCFrameHeader(type: frame.type, flags: frame.flags, streamID: frame.streamID, payloadLength: frame.payload.readableBytes)
        var payload = frame.payload
        self.writeBuffer(&payload)
    }

    @inlinable
    public mutating func writeRPCFrameHeader(type: RPCFrame.FrameType, flags: RPCFrame.Flags, streamID: UInt32, payloadLength: Int) {
        self.writeMultipleIntegers(
            UInt32(payloadLength) + RPCFrame.minimumLength,
            type.rawValue,
            flags.rawValue,
            streamID
        )
    }

    /// Starts a frame whose payload is written afterwards; call ``finishRPCFrame(startingAt:)`` when done.
    @inlinable
    public mutating func beginRPCFrame(type: RPCFrame.FrameType, flags: RPCFrame.Flags, streamID: UInt32) -> Int {
        let start = self.writerIndex
        self.writeMultipleIntegers(UInt32(0), type.rawValue, flags.rawValue, streamID)
        return start
    }

    /// Fills in the length of a frame begun at `start`.
    @inlinable
    public mutating func finishRPCFrame(startingAt start: Int) {
        self.setInteger(UInt32(self.writerIndex - start - 4), at: start)
    }
}
