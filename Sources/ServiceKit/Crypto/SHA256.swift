import CSodium

/// SHA-256 (libsodium), incremental so that large files are hashed chunk by chunk.
public struct SHA256: Sendable {
    private var state = crypto_hash_sha256_state()

    public init() {
        crypto_hash_sha256_init(&self.state)
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        _ = crypto_hash_sha256_update(&self.state, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.update($0) }
    }

    /// Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently: for keys built from fields.
    public mutating func update(field: String) {
        withUnsafeBytes(of: UInt64(field.utf8.count).littleEndian) { self.update($0) }
        self.update(Array(field.utf8))
    }

    public mutating func update(fields: [String]) {
        self.update(field: String(fields.count))
        for field in fields { self.update(field: field) }
    }

    public mutating func finalizeHex() -> String {
        Hex.encode(self.finalize())
    }

    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256_final(&self.state, &out)
        return out
    }

    /// Lowercase hex of the digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return Hex.encode(hasher.finalize())
    }
}
