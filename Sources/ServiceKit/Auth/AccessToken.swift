import CSodium
import Foundation

/// What an access token says about its bearer. Edge trusts it after checking the signature.
public struct AccessTokenClaims: Codable, Sendable, Hashable {
    /// User id, as a string per RFC 7519.
    public var sub: String
    public var username: String
    public var role: String
    public var iat: Int64
    public var exp: Int64
    public var iss: String

    public init(userID: Int64, username: String, role: String, issuedAt: Int64, expiresAt: Int64) {
        self.sub = String(userID)
        self.username = username
        self.role = role
        self.iat = issuedAt
        self.exp = expiresAt
        self.iss = AccessTokenClaims.issuer
    }

    public static let issuer = "algosports"
    public var userID: Int64? { Int64(self.sub) }
}

/// Why a token was refused. The message is safe to show (it names no secret).
public struct TokenError: Error, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

private let header = Base64URL.encode(Array(#"{"alg":"EdDSA","typ":"JWT"}"#.utf8))

/// Signs access tokens (JWT, EdDSA over Ed25519). Only Users holds one.
public struct AccessTokenSigner: Sendable {
    private let secretKey: [UInt8]
    public let publicKey: [UInt8]

    /// - Parameter seed: 32 secret bytes (`JWT_SIGNING_KEY`, hex).
    public init(seed: [UInt8]) throws {
        precondition(sodium_init() >= 0)
        guard seed.count == Int(crypto_sign_SEEDBYTES) else {
            throw ConfigurationError(variable: "JWT_SIGNING_KEY", problem: "must be \(crypto_sign_SEEDBYTES) bytes of hex")
        }
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        crypto_sign_seed_keypair(&publicKey, &secretKey, seed)
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    public func sign(_ claims: AccessTokenClaims) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = Base64URL.encode(try! encoder.encode(claims))
        let signingInput = Array("\(header).\(payload)".utf8)
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        crypto_sign_detached(&signature, nil, signingInput, UInt64(signingInput.count), self.secretKey)
        return "\(header).\(payload).\(Base64URL.encode(signature))"
    }
}

/// Checks access tokens with the public key alone: no call to Users per request.
public struct AccessTokenVerifier: Sendable {
    private let publicKey: [UInt8]
    /// Clock skew tolerated on `exp` and `iat`, in seconds.
    public var leeway: Int64 = 30

    public init(publicKey: [UInt8]) throws {
        precondition(sodium_init() >= 0)
        guard publicKey.count == Int(crypto_sign_PUBLICKEYBYTES) else {
            throw ConfigurationError(variable: "JWT_PUBLIC_KEY", problem: "must be \(crypto_sign_PUBLICKEYBYTES) bytes of hex")
        }
        self.publicKey = publicKey
    }

    public func verify(_ token: String, now: Int64) throws(TokenError) -> AccessTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == header[...] else { throw TokenError(reason: "malformed token") }
        guard let signature = Base64URL.decode(parts[2]), signature.count == Int(crypto_sign_BYTES) else {
            throw TokenError(reason: "malformed token")
        }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard crypto_sign_verify_detached(signature, signingInput, UInt64(signingInput.count), self.publicKey) == 0 else {
            throw TokenError(reason: "invalid signature")
        }
        guard let payload = Base64URL.decode(parts[1]),
              let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload)),
              claims.iss == AccessTokenClaims.issuer, claims.userID != nil
        else { throw TokenError(reason: "malformed claims") }
        guard claims.exp + self.leeway > now else { throw TokenError(reason: "token expired") }
        guard claims.iat - self.leeway <= now else { throw TokenError(reason: "token not yet valid") }
        return claims
    }
}
