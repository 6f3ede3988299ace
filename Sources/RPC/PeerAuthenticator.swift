import CSodium

/// Proves knowledge of the shared secret without sending it: HMAC-SHA256 over both nonces.
///
/// Each side signs a different label, so a proof can never be reflected back at its sender.
public struct PeerAuthenticator: Sendable {
    private let key: [UInt8]

    /// - Parameter secret: the cluster's shared RPC secret (at least 16 bytes).
    public init(secret: some Collection<UInt8>) {
        precondition(sodium_init() >= 0, "libsodium failed to initialise")
        self.key = Array(secret)
    }

    public init(secret: String) {
        self.init(secret: Array(secret.utf8))
    }

    func serverProof(clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        self.mac(label: "ASRP/1 server", clientNonce, serverNonce)
    }

    func clientProof(clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        self.mac(label: "ASRP/1 client", clientNonce, serverNonce)
    }

    /// Constant-time comparison.
    static func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.count > 0 && sodium_memcmp(a, b, a.count) == 0
    }

    static func randomNonce() -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: Handshake.nonceSize)
        nonce.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return nonce
    }

    private func mac(label: String, _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        _ = crypto_auth_hmacsha256_init(&state, self.key, self.key.count)
        let labelBytes = Array(label.utf8)
        _ = crypto_auth_hmacsha256_update(&state, labelBytes, UInt64(labelBytes.count))
        _ = crypto_auth_hmacsha256_update(&state, first, UInt64(first.count))
        _ = crypto_auth_hmacsha256_update(&state, second, UInt64(second.count))
        _ = crypto_auth_hmacsha256_final(&state, &out)
        return out
    }
}
