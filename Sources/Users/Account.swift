import AlgoProto
import ServiceKit

/// One row of `accounts`.
struct Account: Sendable, Hashable {
    var id: Int64
    var username: String
    var email: String
    var passwordHash: String
    var role: String
    var displayName: String
    var bio: String
    var preferredLanguage: String
    var joinedAtMs: Int64

    /// The columns every account query selects, in the shape `init(row:)` reads.
    static let columns = """
        id, username, email, password_hash, role, display_name, bio, preferred_language,
        (extract(epoch from joined_at) * 1000)::bigint AS joined_at_ms
        """

    init(row: PostgresRow) throws {
        self.id = try row.decode("id", as: Int64.self)
        self.username = try row.decode("username", as: String.self)
        self.email = try row.decode("email", as: String.self)
        self.passwordHash = try row.decode("password_hash", as: String.self)
        self.role = try row.decode("role", as: String.self)
        self.displayName = try row.decode("display_name", as: String.self)
        self.bio = try row.decode("bio", as: String.self)
        self.preferredLanguage = try row.decode("preferred_language", as: String.self)
        self.joinedAtMs = try row.decode("joined_at_ms", as: Int64.self)
    }

    var proto: UsersV1.User {
        var user = UsersV1.User()
        user.id = self.id
        user.username = self.username
        user.email = self.email
        user.role = Role(name: self.role).proto
        user.displayName = self.displayName
        user.bio = self.bio
        user.preferredLanguage = self.preferredLanguage
        user.joinedAtMs = self.joinedAtMs
        return user
    }
}

/// Roles as stored (`user`, `staff`, `admin`) and as on the wire.
struct Role: Hashable, Sendable {
    var name: String

    init(name: String) { self.name = name }

    init?(_ proto: UsersV1.Role) {
        switch proto {
        case .user: self.name = "user"
        case .staff: self.name = "staff"
        case .admin: self.name = "admin"
        default: return nil
        }
    }

    var proto: UsersV1.Role {
        switch self.name {
        case "admin": .admin
        case "staff": .staff
        default: .user
        }
    }

    static let user = Role(name: "user")
    static let staff = Role(name: "staff")
    static let admin = Role(name: "admin")
}
