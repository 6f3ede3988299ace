import AlgoProto

/// A user as the API shows it. The email is left out unless the viewer may see it.
struct UserResource: JSONResponseBody {
    var id: Int64
    var username: String
    var email: String?
    var role: String
    var displayName: String
    var bio: String
    var preferredLanguage: String
    var joinedAt: String

    /// - Parameter viewer: who asks; the email is shown to the account itself and to admins.
    init(_ user: UsersV1.User, viewer: Caller?) {
        self.id = user.id
        self.username = user.username
        let maySeeEmail = viewer.map { $0.id == user.id || $0.isAdmin } ?? false
        self.email = maySeeEmail ? user.email : nil
        self.role = RoleName.name(of: user.role)
        self.displayName = user.displayName
        self.bio = user.bio
        self.preferredLanguage = user.preferredLanguage
        self.joinedAt = RFC3339.format(milliseconds: user.joinedAtMs)
    }

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", self.id)
        json.field("username", self.username)
        json.field("email", self.email)
        json.field("role", self.role)
        json.field("display_name", self.displayName)
        json.field("bio", self.bio)
        json.field("preferred_language", self.preferredLanguage)
        json.field("joined_at", self.joinedAt)
        json.endObject()
    }
}

/// Role names on the API side of the wire enum.
enum RoleName {
    static let all = ["user", "staff", "admin"]

    static func name(of role: UsersV1.Role) -> String {
        switch role {
        case .admin: "admin"
        case .staff: "staff"
        default: "user"
        }
    }

    static func parse(_ name: String) -> UsersV1.Role? {
        switch name {
        case "user": .user
        case "staff": .staff
        case "admin": .admin
        default: nil
        }
    }
}
