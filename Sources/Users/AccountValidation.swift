import AlgoProto
import ServiceKit

/// The rules for account fields, in one place. Each failure names the field as in the API.
enum AccountValidation {
    static let usernameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")

    /// Usernames are stored lowercased: `Alice` registers as `alice`.
    static func normalizedUsername(_ raw: String) -> String { raw.lowercased() }

    static func username(_ username: String) -> CommonV1.FieldViolation? {
        guard (3...32).contains(username.count) else {
            return .init("username", "must be 3 to 32 characters long")
        }
        guard username.allSatisfy({ usernameCharacters.contains($0) }) else {
            return .init("username", "may only contain letters a-z, digits, '_' and '-'")
        }
        return nil
    }

    static func email(_ email: String) -> CommonV1.FieldViolation? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline })
        else { return .init("email", "is not a valid email address") }
        return nil
    }

    static func password(_ password: String, username: String, field: String = "password") -> CommonV1.FieldViolation? {
        guard password.count >= 8 else { return .init(field, "must be at least 8 characters long") }
        guard password.utf8.count <= 1024 else { return .init(field, "must be at most 1024 bytes long") }
        guard password.lowercased() != username.lowercased() else { return .init(field, "must not be the username") }
        return nil
    }

    static func displayName(_ value: String) -> CommonV1.FieldViolation? {
        value.count <= 64 ? nil : .init("display_name", "must be at most 64 characters long")
    }

    static func bio(_ value: String) -> CommonV1.FieldViolation? {
        value.count <= 2000 ? nil : .init("bio", "must be at most 2000 characters long")
    }

    static func preferredLanguage(_ value: String) -> CommonV1.FieldViolation? {
        value.count <= 32 ? nil : .init("preferred_language", "must be at most 32 characters long")
    }
}
