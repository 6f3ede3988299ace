import AlgoProto
import RPC
import ServiceKit

/// Accounts in the `users` schema. Every query is parameterized; every call runs on the pool's
/// dedicated threads.
struct AccountStore: Sendable {
    let pool: PostgresPool

    struct NewAccount: Sendable {
        var username: String
        var email: String
        var passwordHash: String
        var role: Role
        var displayName: String
        var preferredLanguage: String
    }

    func create(_ new: NewAccount) async throws -> Account {
        do {
            let rows = try await self.pool.query(
                """
                INSERT INTO accounts (username, email, password_hash, role, display_name, preferred_language)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(Account.columns)
                """,
                [new.username, new.email, new.passwordHash, new.role.name, new.displayName, new.preferredLanguage]
            )
            return try Account(row: rows[0])
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw Self.duplicate(error)
        }
    }

    /// The field a unique violation is about, from the index name.
    static func duplicate(_ error: PostgresError) -> RPCError {
        if error.constraint == "accounts_email_key" {
            return .alreadyExists("email", "is already registered")
        }
        return .alreadyExists("username", "is already taken")
    }

    func find(id: Int64) async throws -> Account? {
        try await self.pool.query("SELECT \(Account.columns) FROM accounts WHERE id = $1", [id]).first.map(Account.init)
    }

    func find(username: String) async throws -> Account? {
        try await self.pool.query("SELECT \(Account.columns) FROM accounts WHERE lower(username) = lower($1)", [username])
            .first.map(Account.init)
    }

    func find(email: String) async throws -> Account? {
        try await self.pool.query("SELECT \(Account.columns) FROM accounts WHERE lower(email) = lower($1)", [email])
            .first.map(Account.init)
    }

    func find(ids: [Int64]) async throws -> [Account] {
        guard !ids.isEmpty else { return [] }
        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
        return try await self.pool.query(
            "SELECT \(Account.columns) FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id", [list]
        ).map(Account.init)
    }

    func updatePasswordHash(id: Int64, hash: String) async throws {
        _ = try await self.pool.execute("UPDATE accounts SET password_hash = $2 WHERE id = $1", [id, hash])
    }

    struct ProfileChange: Sendable {
        var displayName: String?
        var bio: String?
        var preferredLanguage: String?
        var email: String?
    }

    /// Applies the fields that are set; nil leaves a field as it is.
    func updateProfile(id: Int64, _ change: ProfileChange) async throws -> Account? {
        do {
            return try await self.pool.query(
                """
                UPDATE accounts SET
                    display_name = coalesce($2, display_name),
                    bio = coalesce($3, bio),
                    preferred_language = coalesce($4, preferred_language),
                    email = coalesce($5, email)
                WHERE id = $1 RETURNING \(Account.columns)
                """,
                [id, change.displayName, change.bio, change.preferredLanguage, change.email]
            ).first.map(Account.init)
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw Self.duplicate(error)
        }
    }

    func setRole(id: Int64, role: Role) async throws -> Account? {
        try await self.pool.query(
            "UPDATE accounts SET role = $2 WHERE id = $1 RETURNING \(Account.columns)", [id, role.name]
        ).first.map(Account.init)
    }
}
