import Synchronization

/// Ids for requests, traces and spans: a counter scrambled with a per-process random key
/// (splitmix64), so ids never repeat within a process, cannot be guessed across processes, and
/// cost no system call (the system generator costs one `getrandom` per 8 bytes).
final class IDSource: Sendable {
    static let shared = IDSource()

    private let counter = Atomic<UInt64>(0)
    private let key: UInt64
    private let prefix: UInt64

    private init() {
        var generator = SystemRandomNumberGenerator()
        self.key = generator.next()
        self.prefix = generator.next()
    }

    /// 16 hex digits, never all zeros.
    func next64() -> String {
        Self.hex(Self.scramble(self.counter.add(1, ordering: .relaxed).newValue &+ self.key) | 1)
    }

    /// 32 hex digits: the process's random prefix and a scrambled counter.
    func next128() -> String {
        Self.hex(self.prefix) + self.next64()
    }

    private static func scramble(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 16) { buffer in
            digits.withUTF8Buffer { table in
                for index in 0..<16 {
                    buffer[index] = table[Int((value >> UInt64(60 - index * 4)) & 0xF)]
                }
            }
            return 16
        }
    }
}
