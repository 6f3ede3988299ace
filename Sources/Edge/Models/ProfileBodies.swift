/// PATCH /api/v1/users/me: absent (or null) fields stay as they are.
struct ProfileUpdateBody: Decodable, Sendable {
    var displayName: String?
    var bio: String?
    var preferredLanguage: String?
    var email: String?

    enum CodingKeys: String, CodingKey {
        case email, bio
        case displayName = "display_name"
        case preferredLanguage = "preferred_language"
    }
}

struct RoleUpdateBody: Decodable, Sendable {
    var role: String?
}
