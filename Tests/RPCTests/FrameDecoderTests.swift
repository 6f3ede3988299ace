import NIOCore
import NIOTestUtils
import Testing

@testable import RPC

@Suite("Frame decoder")
struct FrameDecoderTests {
    static func frame(_ type: RPCFrame.FrameType, flags: RPCFrame.Flags = [], stream: UInt32, payload: [UInt8]) -> RPCFrame {
        RPCFrame(type: type, flags: flags, streamID: stream, payload: ByteBuffer(bytes: payload))
    }

    static func bytes(of frames: [RPCFrame]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { buffer.writeRPCFrame(frame) }
        return buffer
    }

    @Test("byte-by-byte, split and batched input all decode the same frames")
    func verifier() throws {
        let frames = [
            Self.frame(.request, stream: 1, payload: Array("hello".utf8)),
            Self.frame(.response, flags: .notProcessed, stream: 1, payload: []),
            Self.frame(.ping, stream: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8]),
            Self.frame(.goAway, stream: 0, payload: Array(repeating: 0xAB, count: 300)),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (Self.bytes(of: frames), frames),
                (Self.bytes(of: [frames[0]]), [frames[0]]),
            ],
            decoderFactory: { RPCFrameDecoder(maximumFrameLength: 1024) }
        )
    }

    @Test("the header layout is length, type, flags, stream id, payload, big-endian")
    func layout() {
        let buffer = Self.bytes(of: [Self.frame(.response, flags: .notProcessed, stream: 0x0102_0304, payload: [0xAA, 0xBB])])
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 8, 0x11, 0x01, 1, 2, 3, 4, 0xAA, 0xBB])
    }

    @Test("a frame truncated at every offset yields nothing and waits for more")
    func truncated() throws {
        let whole = Self.bytes(of: [Self.frame(.request, stream: 7, payload: Array(repeating: 9, count: 40))])
        for cut in 0..<whole.readableBytes {
            var decoder = RPCFrameDecoder(maximumFrameLength: 1024)
            var prefix = whole.getSlice(at: 0, length: cut)!
            #expect(try decoder.decode(buffer: &prefix) == nil, "offset \(cut)")
            #expect(prefix.readableBytes == cut, "nothing consumed at offset \(cut)")
            #expect(try decoder.decodeLast(buffer: &prefix, seenEOF: true) == nil)
        }
    }

    @Test(
        "malformed frames are rejected with the documented reason",
        arguments: [
            ([0xFF, 0xFF, 0xFF, 0xFF], RPCConnectionError.Reason.frameSize),  // 4 GiB: refused before any allocation
            ([0x00, 0x00, 0x04, 0x01], .frameSize),  // just over the 1 KiB limit
            ([0x00, 0x00, 0x00, 0x00], .frameSize),  // zero length
            ([0x00, 0x00, 0x00, 0x05, 0x10, 0, 0, 0, 0], .frameSize),  // below the 6-byte minimum
            ([0x00, 0x00, 0x00, 0x06, 0x77, 0, 0, 0, 0, 1], .unknownFrameType),
        ] as [([UInt8], RPCConnectionError.Reason)]
    )
    func malformed(bytes: [UInt8], reason: RPCConnectionError.Reason) {
        var decoder = RPCFrameDecoder(maximumFrameLength: 1024)
        var buffer = ByteBuffer(bytes: bytes)
        #expect {
            _ = try decoder.decode(buffer: &buffer)
        } throws: { error in
            (error as? RPCConnectionError)?.reason == reason
        }
    }

    @Test("a huge announced length is refused from its first four bytes, without buffering the body")
    func oversizedEarly() {
        var decoder = RPCFrameDecoder(maximumFrameLength: 4 << 20)
        var buffer = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: RPCConnectionError.self) { _ = try decoder.decode(buffer: &buffer) }
    }
}
