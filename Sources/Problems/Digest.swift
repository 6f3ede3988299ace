import CSodium

/// SHA-256 of test files, the key they are stored and downloaded by.
enum Digest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        bytes.withUnsafeBufferPointer { buffer in
            _ = crypto_hash_sha256(&out, buffer.baseAddress, UInt64(buffer.count))
        }
        return out
    }
}
