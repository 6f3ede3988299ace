import Logging
import ServiceKit

extension UsersConfiguration.FirstAdmin {
    /// Creates the first admin, or makes the existing account an admin. Its password is never
    /// reset here: an operator who changed it keeps it.
    func ensure(accounts: AccountStore, hasher: PasswordHasher, logger: Logger) async throws {
        if let existing = try await accounts.find(username: self.username) {
            if existing.role != Role.admin.name {
                _ = try await accounts.setRole(id: existing.id, role: .admin)
                logger.notice("existing account made admin", metadata: ["username": "\(self.username)"])
            }
            return
        }
        let hash = try await hasher.hash(self.password)
        let account = try await accounts.create(
            .init(username: self.username, email: self.email, passwordHash: hash, role: .admin, displayName: self.username, preferredLanguage: "")
        )
        logger.notice("first admin created", metadata: ["username": "\(self.username)", "user_id": "\(account.id)"])
    }
}
