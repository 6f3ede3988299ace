import NIOCore

/// The start of a REQUEST payload: method path, relative timeout and metadata (docs/rpc-protocol.md §4).
struct RequestHead: Hashable {
    var method: String
    /// Milliseconds the caller waits, measured from when the frame is sent; 0 means no deadline.
    var timeoutMilliseconds: UInt32
    var metadata: RPCMetadata

    /// Metadata keys on the wire. Unknown keys are skipped, so new ones can be added in a minor version.
    enum Key: UInt8 {
        case requestID = 1
        case traceparent = 2
        case tracestate = 3
        case userID = 4
        case userRole = 5
    }

    static let maximumMethodLength = 256
    static let maximumMetadataValueLength = 1024

    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt16(self.method.utf8.count))
        buffer.writeString(self.method)
        buffer.writeInteger(self.timeoutMilliseconds)
        let countIndex = buffer.writerIndex
        buffer.writeInteger(UInt8(0))
        var count: UInt8 = 0
        func put(_ key: Key, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            let bytes = value.utf8.prefix(Self.maximumMetadataValueLength)
            buffer.writeInteger(key.rawValue)
            buffer.writeInteger(UInt16(bytes.count))
            buffer.writeBytes(bytes)
            count += 1
        }
        put(.requestID, self.metadata.requestID)
        put(.traceparent, self.metadata.traceparent)
        put(.tracestate, self.metadata.tracestate)
        put(.userID, self.metadata.userID)
        put(.userRole, self.metadata.userRole)
        buffer.setInteger(count, at: countIndex)
    }

    /// Reads the head and leaves `buffer` at the message body.
    static func read(from buffer: inout ByteBuffer) throws -> RequestHead {
        let method = try self.readMethod(from: &buffer)
        return try self.read(from: &buffer, method: String(buffer: method))
    }

    /// The method path's bytes, without making a `String` of them (the server looks its routes up
    /// by these bytes and reuses the route's path).
    static func readMethod(from buffer: inout ByteBuffer) throws -> ByteBuffer {
        guard let methodLength = buffer.readInteger(as: UInt16.self), Int(methodLength) <= maximumMethodLength,
              let method = buffer.readSlice(length: Int(methodLength))
        else { throw RPCConnectionError(.malformedFrame, "malformed REQUEST head") }
        return method
    }

    /// The rest of the head, after ``readMethod(from:)``.
    static func read(from buffer: inout ByteBuffer, method: String) throws -> RequestHead {
        guard let (timeout, count) = buffer.readMultipleIntegers(as: (UInt32, UInt8).self)
        else { throw RPCConnectionError(.malformedFrame, "malformed REQUEST head") }
        // Into locals first: the metadata's box is then allocated once.
        var requestID, traceparent, tracestate, userID, userRole: String?
        for _ in 0..<count {
            guard let (rawKey, length) = buffer.readMultipleIntegers(as: (UInt8, UInt16).self),
                  Int(length) <= maximumMetadataValueLength,
                  let value = buffer.readString(length: Int(length))
            else { throw RPCConnectionError(.malformedFrame, "malformed REQUEST metadata") }
            switch Key(rawValue: rawKey) {
            case .requestID: requestID = value
            case .traceparent: traceparent = value
            case .tracestate: tracestate = value
            case .userID: userID = value
            case .userRole: userRole = value
            case nil: continue
            }
        }
        let metadata = RPCMetadata(requestID: requestID, traceparent: traceparent, tracestate: tracestate, userID: userID, userRole: userRole)
        return RequestHead(method: method, timeoutMilliseconds: timeout, metadata: metadata)
    }
}

/// The start of a RESPONSE payload: status and message; an OK response continues with the body.
extension ByteBuffer {
    /// Starts a RESPONSE frame with an OK head (code, empty message) in one write: the header and
    /// head of every successful answer. Finish it with ``finishRPCFrame(startingAt:)``.
    mutating func beginOKResponseFrame(streamID: UInt32) -> Int {
        let start = self.writerIndex
        self.writeMultipleIntegers(
            UInt32(0), RPCFrame.FrameType.response.rawValue, RPCFrame.Flags().rawValue, streamID,
            RPCStatusCode.ok.rawValue, UInt16(0)
        )
        return start
    }
}

struct ResponseHead: Hashable {
    var code: RPCStatusCode
    var message: String

    static let maximumMessageLength = 1024

    func write(to buffer: inout ByteBuffer) {
        let bytes = self.message.utf8.prefix(Self.maximumMessageLength)
        buffer.writeInteger(self.code.rawValue)
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
    }

    static func read(from buffer: inout ByteBuffer) throws -> ResponseHead {
        guard let (rawCode, length) = buffer.readMultipleIntegers(as: (UInt8, UInt16).self),
              let message = buffer.readString(length: Int(length))
        else { throw RPCConnectionError(.malformedFrame, "malformed RESPONSE head") }
        // A code from a newer peer is still a failure: report it as UNKNOWN.
        return ResponseHead(code: RPCStatusCode(rawValue: rawCode) ?? .unknown, message: message)
    }
}

/// GOAWAY: the highest stream id the sender accepted; later ones were not processed.
struct GoAway: Hashable {
    var lastStreamID: UInt32
    var message: String

    func encode() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(self.lastStreamID)
        buffer.writeBytes(self.message.utf8.prefix(ResponseHead.maximumMessageLength))
        return buffer
    }

    static func decode(_ payload: ByteBuffer) throws -> GoAway {
        var payload = payload
        guard let last = payload.readInteger(as: UInt32.self) else {
            throw RPCConnectionError(.malformedFrame, "malformed GOAWAY")
        }
        return GoAway(lastStreamID: last, message: payload.readString(length: payload.readableBytes) ?? "")
    }
}

extension RPCConnectionError {
    /// The payload of the ERROR frame that announces this error.
    func encode() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(self.reason.rawValue)
        buffer.writeBytes(self.message.utf8.prefix(ResponseHead.maximumMessageLength))
        return buffer
    }

    static func decode(_ payload: ByteBuffer) -> RPCConnectionError {
        var payload = payload
        let raw = payload.readInteger(as: UInt8.self) ?? 0
        let message = payload.readString(length: payload.readableBytes) ?? ""
        return RPCConnectionError(Reason(rawValue: raw) ?? .protocolViolation, message)
    }
}
