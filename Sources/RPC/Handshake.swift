import NIOCore

/// Handshake frames (docs/rpc-protocol.md §3): HELLO both ways, AUTH from the client, READY from the server.
enum Handshake {
    static let magic: UInt32 = 0x4153_5250  // "ASRP"
    static let majorVersion: UInt8 = 1
    static let minorVersion: UInt8 = 0
    static let nonceSize = 32
    static let proofSize = 32
    /// Frames before READY are small; anything larger is refused before it is buffered.
    static let maximumFrameLength: UInt32 = 256

    /// Client → server HELLO.
    struct ClientHello: Hashable {
        var major: UInt8 = Handshake.majorVersion
        var minor: UInt8 = Handshake.minorVersion
        var features: UInt16 = 0
        var maximumFrameLength: UInt32
        var nonce: [UInt8]

        func encode() -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.writeMultipleIntegers(Handshake.magic, major, minor, features, maximumFrameLength)
            buffer.writeBytes(nonce)
            return buffer
        }

        static func decode(_ payload: ByteBuffer) throws -> ClientHello {
            var payload = payload
            let (magic, major, minor) = try Handshake.readPreamble(&payload)
            _ = magic
            guard let (features, maxFrame) = payload.readMultipleIntegers(as: (UInt16, UInt32).self),
                  let nonce = payload.readBytes(length: Handshake.nonceSize), payload.readableBytes == 0
            else { throw RPCConnectionError(.malformedFrame, "malformed HELLO") }
            return ClientHello(major: major, minor: minor, features: features, maximumFrameLength: maxFrame, nonce: nonce)
        }
    }

    /// Server → client HELLO: its limits, its nonce, and proof that it knows the secret.
    struct ServerHello: Hashable {
        var major: UInt8 = Handshake.majorVersion
        var minor: UInt8 = Handshake.minorVersion
        var features: UInt16 = 0
        var maximumFrameLength: UInt32
        var maximumConcurrentRequests: UInt32
        var nonce: [UInt8]
        var proof: [UInt8]

        func encode() -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.writeMultipleIntegers(Handshake.magic, major, minor, features, maximumFrameLength, maximumConcurrentRequests)
            buffer.writeBytes(nonce)
            buffer.writeBytes(proof)
            return buffer
        }

        static func decode(_ payload: ByteBuffer) throws -> ServerHello {
            var payload = payload
            let (_, major, minor) = try Handshake.readPreamble(&payload)
            guard let (features, maxFrame, maxConcurrent) = payload.readMultipleIntegers(as: (UInt16, UInt32, UInt32).self),
                  let nonce = payload.readBytes(length: Handshake.nonceSize),
                  let proof = payload.readBytes(length: Handshake.proofSize), payload.readableBytes == 0
            else { throw RPCConnectionError(.malformedFrame, "malformed HELLO") }
            return ServerHello(
                major: major, minor: minor, features: features, maximumFrameLength: maxFrame,
                maximumConcurrentRequests: maxConcurrent, nonce: nonce, proof: proof
            )
        }
    }

    /// Reads magic and version, rejecting a foreign protocol or another major version.
    private static func readPreamble(_ payload: inout ByteBuffer) throws -> (UInt32, UInt8, UInt8) {
        guard let (magic, major, minor) = payload.readMultipleIntegers(as: (UInt32, UInt8, UInt8).self) else {
            throw RPCConnectionError(.malformedFrame, "malformed HELLO")
        }
        guard magic == Handshake.magic else {
            throw RPCConnectionError(.badMagic, "bad magic 0x\(String(magic, radix: 16)); expected 0x\(String(Handshake.magic, radix: 16)) (\"ASRP\")")
        }
        guard major == Handshake.majorVersion else {
            throw RPCConnectionError(.unsupportedVersion, "protocol version \(major).\(minor) is not supported; this peer speaks \(Handshake.majorVersion).x")
        }
        return (magic, major, minor)
    }
}
