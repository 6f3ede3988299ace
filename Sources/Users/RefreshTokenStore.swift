import CSodium
import RPC
import ServiceKit

/// Opaque refresh tokens, stored as SHA-256 digests, rotated on every use.
struct RefreshTokenStore: Sendable {
    let pool: PostgresPool
    /// How long a refresh token is valid.
    let lifetimeMilliseconds: Int64

    struct Issued: Sendable {
        var token: String
        var expiresAtMs: Int64
    }

    /// Starts a new family (a login).
    func issue(userID: Int64) async throws -> Issued {
        try await self.pool.withConnection { connection in
            try Self.insert(connection, userID: userID, family: Self.newFamily(), lifetime: self.lifetimeMilliseconds)
        }
    }

    enum Rotation: Sendable {
        case rotated(userID: Int64, Issued)
        /// An already-rotated token came back: the family was revoked.
        case reuseDetected
        case invalid(String)
    }

    /// Exchanges `token` for a new one in the same family, in one transaction.
    func rotate(_ token: String) async throws -> Rotation {
        let digest = OpaqueToken.digest(token)
        let lifetime = self.lifetimeMilliseconds
        return try await self.pool.withTransaction { connection in
            let rows = try connection.query(
                """
                SELECT user_id, family, (extract(epoch from expires_at) * 1000)::bigint AS expires_at_ms,
                       rotated_at IS NOT NULL AS rotated, revoked_at IS NOT NULL AS revoked
                FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE
                """,
                [digest]
            )
            guard let row = rows.first else { return .invalid("unknown refresh token") }
            let family = try row.decode("family", as: [UInt8].self)
            if try row.decode("revoked", as: Bool.self) { return .invalid("refresh token revoked") }
            if try row.decode("rotated", as: Bool.self) {
                _ = try connection.execute(
                    "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL", [family]
                )
                return .reuseDetected
            }
            guard try row.decode("expires_at_ms", as: Int64.self) > WallClock.nowMilliseconds() else {
                return .invalid("refresh token expired")
            }
            _ = try connection.execute("UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1", [digest])
            let userID = try row.decode("user_id", as: Int64.self)
            return .rotated(userID: userID, try Self.insert(connection, userID: userID, family: family, lifetime: lifetime))
        }
    }

    /// Logout: revokes the token's family, or every session of its user. Returns tokens revoked.
    func revoke(_ token: String, allSessions: Bool) async throws -> Int {
        let digest = OpaqueToken.digest(token)
        let sql = allSessions
            ? """
              UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL
              AND user_id = (SELECT user_id FROM refresh_tokens WHERE token_hash = $1)
              """
            : """
              UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL
              AND family = (SELECT family FROM refresh_tokens WHERE token_hash = $1)
              """
        return try await self.pool.execute(sql, [digest])
    }

    private static func newFamily() -> [UInt8] {
        var family = [UInt8](repeating: 0, count: 16)
        randombytes_buf(&family, family.count)
        return family
    }

    private static func insert(_ connection: PostgresConnection, userID: Int64, family: [UInt8], lifetime: Int64) throws -> Issued {
        let token = OpaqueToken.generate()
        let expires = WallClock.nowMilliseconds() + lifetime
        _ = try connection.execute(
            "INSERT INTO refresh_tokens (token_hash, family, user_id, expires_at) VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000))",
            [OpaqueToken.digest(token), family, userID, expires]
        )
        return Issued(token: token, expiresAtMs: expires)
    }
}
