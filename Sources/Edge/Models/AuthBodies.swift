import AlgoProto

// Request bodies have optional fields only: ``RequiredFields`` then names every missing one at once.

struct RegisterBody: Decodable, Sendable {
    var username: String?
    var email: String?
    var password: String?
    var displayName: String?
    var preferredLanguage: String?

    enum CodingKeys: String, CodingKey {
        case username, email, password
        case displayName = "display_name"
        case preferredLanguage = "preferred_language"
    }
}

struct LoginBody: Decodable, Sendable {
    var login: String?
    var password: String?
}

struct RefreshBody: Decodable, Sendable {
    var refresh: String?
}

/// dj-rest-auth's login: `username` or `email`, and `password`.
struct LegacyLoginBody: Decodable, Sendable {
    var username: String?
    var email: String?
    var password: String?
}

/// dj-rest-auth's registration: the password twice.
struct LegacyRegistrationBody: Decodable, Sendable {
    var username: String?
    var email: String?
    var password1: String?
    var password2: String?
}

struct LoginResponse: JSONResponseBody {
    var access: String
    var refresh: String
    var user: UserResource

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("access", self.access)
        json.field("refresh", self.refresh)
        json.field("user", self.user)
        json.endObject()
    }
}

struct TokenPairResponse: JSONResponseBody {
    var access: String
    var refresh: String

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("access", self.access)
        json.field("refresh", self.refresh)
        json.endObject()
    }
}

extension UsersV1.AuthenticateRequest.Login {
    /// What the user typed into the login box: an email when it contains '@'.
    init(typed login: String) {
        self = login.contains("@") ? .email(login) : .username(login)
    }
}
