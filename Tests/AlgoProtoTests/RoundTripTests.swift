import AlgoProto
import NIOCore
import RPC
import Testing

@Suite("Round trips of every generated message")
struct RoundTripTests {
    @Test("every sample survives encode -> decode, and re-encodes to the same bytes", arguments: MessageType.all)
    func samplesRoundTrip(_ message: MessageType) throws {
        try Self.roundTrip(message.type)
    }

    static func roundTrip<M: ProtoSampleMessage>(_: M.Type) throws {
        let samples = M.roundTripSamples
        #expect(!samples.isEmpty)
        for (index, sample) in samples.enumerated() {
            let encoded = sample.encoded()
            let decoded = try M(decoding: encoded)
            #expect(decoded == sample, "sample \(index)")
            #expect(decoded.encoded() == encoded, "sample \(index) re-encodes differently")
            if MemoryLayout<M>.size > 0 {  // messages without fields have only the default value
                #expect(sample != M(), "sample \(index) is the default message")
                #expect(encoded.readableBytes > 0)
            }
        }
    }

    @Test("the default message encodes to nothing, and nothing decodes to the default", arguments: MessageType.all)
    func defaultMessage(_ message: MessageType) throws {
        try Self.defaultRoundTrip(message.type)
    }

    static func defaultRoundTrip<M: ProtoSampleMessage>(_: M.Type) throws {
        #expect(M().encoded().readableBytes == 0)
        #expect(try M(decoding: ByteBuffer()) == M())
        #expect(try M(serializedBytes: []) == M())
    }

    @Test("the samples cover every case of every multi-field oneof")
    func samplesCoverOneofCases() {
        let cases = Set(PrototestV1.AllTypes.roundTripSamples.compactMap { sample -> String? in
            sample.choice.map { "\($0)".prefix { $0 != "(" }.description }
        })
        #expect(cases.count == 8)
    }

    @Test("encode appends to what the buffer already holds; decode reads only the readable bytes")
    func bufferPositions() throws {
        let user = UsersV1.User.with {
            $0.id = 42
            $0.username = "ada"
            $0.role = .admin
        }
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB])
        user.encode(into: &buffer)
        #expect(buffer.readableBytes == 2 + user.encoded().readableBytes)
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(try UsersV1.User(decoding: buffer) == user)
        #expect(try UsersV1.User(serializedBytes: user.serializedBytes()) == user)
    }

    @Test("messages larger than the conversion arena's stack block spill into heap blocks and round-trip")
    func messagesBeyondTheArenaStackBlock() throws {
        // Sizes around the 1 KiB stack block and the 8 KiB spill blocks, so that a C tree starts on
        // the stack, spills, and places allocations larger than a spill block.
        for size in [1_000, 1_024, 1_100, 8_192, 20_000] {
            var message = PrototestV1.AllTypes()
            message.fString = String(repeating: "s", count: size)
            message.fBytes = [UInt8](repeating: 0x5A, count: size)
            message.rString = (0..<(size / 100)).map { "item \($0) " + String(repeating: "x", count: $0 % 50) }
            message.rMessage = (0..<(size / 200)).map { i in PrototestV1.Leaf.with { $0.label = "leaf \(i)"; $0.weight = Int64(i) } }
            message.rInt64 = (0..<Int64(size)).map { $0 * 3 }
            let encoded = message.encoded()
            let decoded = try PrototestV1.AllTypes(decoding: encoded)
            #expect(decoded == message, "size \(size)")
            #expect(decoded.encoded() == encoded, "size \(size)")
        }
    }

    @Test("empty strings and bytes inside repeated fields and oneofs are allocated, packed and freed")
    func emptyValuesEverywhere() throws {
        var message = PrototestV1.AllTypes()
        message.rString = ["", "x", ""]
        message.rBytes = [[], [1], []]
        message.rMessage = [PrototestV1.Leaf(), PrototestV1.Leaf()]
        message.oString = ""
        message.oBytes = []
        message.oMessage = PrototestV1.Leaf()
        message.oEnum = .unspecified
        message.choice = .cString("")
        message.keywords = PrototestV1.Keywords.with { $0.protocol = [""] }
        let decoded = try PrototestV1.AllTypes(decoding: message.encoded())
        #expect(decoded == message)
        #expect(decoded != PrototestV1.AllTypes())
    }
}
