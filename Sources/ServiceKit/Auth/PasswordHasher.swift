import CSodium
import NIOPosix

/// argon2id password hashes through libsodium, computed on a dedicated thread pool: a hash costs
/// ~12 ms of CPU and must never run on an event loop.
public final class PasswordHasher: Sendable {
    /// OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane (libsodium always uses 1 lane).
    public struct Parameters: Sendable, Hashable {
        public var operations: Int
        public var memoryBytes: Int
        public static let owasp = Parameters(operations: 2, memoryBytes: 19 << 20)
        /// Fast parameters for tests only.
        public static let testing = Parameters(operations: 1, memoryBytes: 64 << 10)

        public init(operations: Int, memoryBytes: Int) {
            self.operations = operations
            self.memoryBytes = memoryBytes
        }
    }

    public let parameters: Parameters
    private let pool: NIOThreadPool
    /// A real hash of a random password, checked when a login names no account.
    private let dummyHash: String

    /// - Parameter threads: concurrent hashes; each holds `memoryBytes` while it runs.
    public init(parameters: Parameters = .owasp, threads: Int = 2) {
        precondition(sodium_init() >= 0)
        self.parameters = parameters
        self.pool = NIOThreadPool(numberOfThreads: threads)
        self.pool.start()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let random = Array(OpaqueToken.generate().utf8).map { CChar(bitPattern: $0) } + [0]
        _ = crypto_pwhash_str_alg(
            &output, random, UInt64(random.count - 1), UInt64(parameters.operations), parameters.memoryBytes,
            crypto_pwhash_ALG_ARGON2ID13
        )
        self.dummyHash = String(cString: output)
    }

    deinit {
        self.pool.shutdownGracefully { _ in }
    }

    /// The encoded hash (`$argon2id$v=19$m=…`), which carries its own salt and parameters.
    public func hash(_ password: String) async throws -> String {
        let parameters = self.parameters
        return try await self.pool.runIfActive {
            var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
            let bytes = Array(password.utf8).map { CChar(bitPattern: $0) } + [0]  // never empty: a valid pointer
            let status = crypto_pwhash_str_alg(
                &output, bytes, UInt64(bytes.count - 1), UInt64(parameters.operations),
                parameters.memoryBytes, crypto_pwhash_ALG_ARGON2ID13
            )
            guard status == 0 else { throw PasswordHashError() }
            return String(cString: output)
        }
    }

    public struct Verification: Sendable, Hashable {
        public var matches: Bool
        /// The hash was made with other parameters: store a new one now that the password is known.
        public var needsRehash: Bool
    }

    public func verify(_ password: String, against hash: String) async throws -> Verification {
        let parameters = self.parameters
        return try await self.pool.runIfActive {
            let bytes = Array(password.utf8).map { CChar(bitPattern: $0) } + [0]
            let matches = crypto_pwhash_str_verify(hash, bytes, UInt64(bytes.count - 1)) == 0
            let rehash = matches
                && crypto_pwhash_str_needs_rehash(hash, UInt64(parameters.operations), parameters.memoryBytes) != 0
            return Verification(matches: matches, needsRehash: rehash)
        }
    }

    /// Burns the same time as a real check, so that an unknown login cannot be told apart by timing.
    public func verifyAgainstDummy(_ password: String) async throws {
        _ = try await self.verify(password, against: self.dummyHash)
    }
}

public struct PasswordHashError: Error, CustomStringConvertible {
    public var description: String { "password hashing failed" }
}

/// Refresh tokens: 32 random bytes for the client; only their SHA-256 is stored.
public enum OpaqueToken {
    public static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&bytes, bytes.count)
        return Base64URL.encode(bytes)
    }

    public static func digest(_ token: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        let bytes = Array(token.utf8)
        crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
        return out
    }
}
