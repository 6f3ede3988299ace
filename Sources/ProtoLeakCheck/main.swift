// Exercises every generated message under valgrind (tools/leak-check.sh): round trips of every
// sample, garbage, truncated encodings (protobuf-c fails half-way through building its C tree) and
// large messages. Any allocation the Swift <-> C conversion forgets to free shows as "definitely
// lost"; any double free or use of a dead descriptor as an invalid read or write.
//
//   ProtoLeakCheck [ITERATIONS]      (default 300)

import AlgoProto

let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 300

/// Invalid for every message: bad wire type, length past the end, truncated varint and fixed64.
let garbage: [[UInt8]] = [
    [0x0F],
    [0x12, 0x7F, 0x61],
    [0x08, 0xFF],
    [0x09, 0x01, 0x02],
    [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
]

struct Counts {
    var roundTrips = 0
    var rejected = 0
    var truncatedDecoded = 0
}

func exercise<M: ProtoSampleMessage>(_: M.Type, iteration: Int, counts: inout Counts) {
    for sample in M.roundTripSamples {
        let bytes = sample.serializedBytes()
        guard let decoded = try? M(serializedBytes: bytes), decoded == sample,
              decoded.serializedBytes() == bytes
        else {
            fatalError("\(M.protoMessageName): round trip failed")
        }
        counts.roundTrips += 1
        if iteration % 10 == 0 {
            for length in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 16)) {
                if let partial = try? M(serializedBytes: Array(bytes.prefix(length))) {
                    _ = partial.serializedBytes()
                    counts.truncatedDecoded += 1
                } else {
                    counts.rejected += 1
                }
            }
        }
    }
    for bytes in garbage {
        if (try? M(serializedBytes: bytes)) != nil {
            fatalError("\(M.protoMessageName): garbage \(bytes) decoded")
        }
        counts.rejected += 1
    }
}

func exerciseOpened(_ type: any ProtoSampleMessage.Type, iteration: Int, counts: inout Counts) {
    exercise(type, iteration: iteration, counts: &counts)
}

var counts = Counts()
for iteration in 0..<iterations {
    for type in AllMessages.types {
        exerciseOpened(type, iteration: iteration, counts: &counts)
    }
}

// Large repeated fields, a few times.
for _ in 0..<3 {
    var large = PrototestV1.AllTypes()
    large.rString = (0..<2_000).map { "string \($0)" }
    large.rMessage = (0..<500).map { i in PrototestV1.Leaf.with { $0.label = "leaf \(i)" } }
    large.rBytes = (0..<500).map { [UInt8](repeating: UInt8(truncatingIfNeeded: $0), count: $0 % 7) }
    large.rInt64 = Array(0..<20_000)
    large.fBytes = [UInt8](repeating: 0xAB, count: 1 << 20)
    guard let decoded = try? PrototestV1.AllTypes(serializedBytes: large.serializedBytes()), decoded == large else {
        fatalError("large AllTypes: round trip failed")
    }
    counts.roundTrips += 1
}

print(
    "ProtoLeakCheck: \(AllMessages.types.count) message types, \(iterations) iterations: "
        + "\(counts.roundTrips) round trips, \(counts.rejected) inputs rejected, "
        + "\(counts.truncatedDecoded) truncated inputs decoded"
)
