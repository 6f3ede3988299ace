import CSodium

/// Streaming SHA-256 (libsodium) for cache keys.
struct SHA256 {
    private var state = crypto_hash_sha256_state()

    init() {
        _ = crypto_hash_sha256_init(&self.state)
    }

    /// Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
    mutating func update(field: String) {
        var bytes = Array(field.utf8)
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { self.update($0) }
        bytes.withUnsafeBytes { self.update($0) }
        bytes.removeAll()
    }

    mutating func update(fields: [String]) {
        self.update(field: String(fields.count))
        for field in fields { self.update(field: field) }
    }

    private mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        _ = crypto_hash_sha256_update(&self.state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    mutating func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        _ = crypto_hash_sha256_final(&self.state, &digest)
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
