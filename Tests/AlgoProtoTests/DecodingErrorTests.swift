import AlgoProto
import NIOCore
import RPC
import Testing

@Suite("Malformed input")
struct DecodingErrorTests {
    /// Invalid for every message type: wire type 7, a length past the end, a truncated varint,
    /// a truncated fixed64.
    static let garbage: [[UInt8]] = [
        [0x0F],
        [0x12, 0x7F, 0x61],
        [0x08, 0xFF],
        [0x09, 0x01, 0x02],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
    ]

    @Test("garbage throws RPCMessageDecodingError naming the type", arguments: MessageType.all)
    func garbageThrows(_ message: MessageType) {
        Self.expectGarbageThrows(message.type)
    }

    static func expectGarbageThrows<M: ProtoSampleMessage>(_: M.Type) {
        for bytes in garbage {
            #expect(throws: RPCMessageDecodingError(messageType: M.protoMessageName), "\(bytes)") {
                try M(decoding: bytes.buffer)
            }
        }
    }

    @Test("a known field with the wrong wire type is rejected")
    func wrongWireType() {
        // User.id (1) is a varint; here it is length-delimited.
        #expect(throws: RPCMessageDecodingError.self) {
            try UsersV1.User(serializedBytes: [0x0A, 0x01, 0x61])
        }
        // Problem.checker (16) is a message; here it is a varint.
        #expect(throws: RPCMessageDecodingError.self) {
            try ProblemsV1.Problem(serializedBytes: [0x80, 0x01, 0x01])
        }
    }

    @Test("a truncated valid message is rejected")
    func truncated() throws {
        let sample = PrototestV1.AllTypes.roundTripSamples[0].serializedBytes()
        var rejected = 0
        for length in stride(from: 1, to: sample.count, by: 7) {
            if (try? PrototestV1.AllTypes(serializedBytes: Array(sample.prefix(length)))) == nil {
                rejected += 1
            }
        }
        #expect(rejected > 0)
    }

    @Test("random bytes either throw or decode to a value that round-trips stably")
    func randomBytes() throws {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<3_000 {
            let count = Int(rng.next() % 48)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try Self.fuzz(PrototestV1.AllTypes.self, bytes)
            try Self.fuzz(ProblemsV1.Problem.self, bytes)
            try Self.fuzz(UsersV1.UpdateProfileRequest.self, bytes)
        }
    }

    static func fuzz<M: RPCMessage>(_: M.Type, _ bytes: [UInt8]) throws {
        guard let first = try? M(serializedBytes: bytes) else { return }
        // Compare bytes rather than values: random doubles may be NaN.
        let once = first.serializedBytes()
        #expect(try M(serializedBytes: once).serializedBytes() == once)
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
