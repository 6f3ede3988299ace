import ServiceKit

/// The opaque cursor of ListSubmissions: the last id of the previous page ("s1:<id>", base64url).
/// Ids only grow, so "id below the cursor" is newest-first paging that inserts never shift.
enum PageToken {
    static let defaultSize = 20
    static let maxSize = 100

    static func encode(lastID: Int64) -> String {
        Base64URL.encode(Array("s1:\(lastID)".utf8))
    }

    /// The cursor id, or nil when the token is not one of ours.
    static func decode(_ token: String) -> Int64? {
        guard token.utf8.count <= 64, let bytes = Base64URL.decode(token) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("s1:"), let id = Int64(text.dropFirst(3)), id > 0 else { return nil }
        return id
    }
}
