import ServiceKit

/// ListProblems' cursor: the id of the last problem of the previous page (problems are listed in
/// id order, so a page never repeats or skips a problem that existed when the first page was read).
/// Opaque to callers: base64url of "p1:<id>", the version prefix lets the format change later.
enum PageToken {
    static let defaultPageSize = 20
    static let maximumPageSize = 100

    static func encode(lastID: Int64) -> String {
        Base64URL.encode(Array("p1:\(lastID)".utf8))
    }

    /// The last id of the previous page (0 for the first page), or nil for a token we did not issue.
    static func decode(_ token: String) -> Int64? {
        guard !token.isEmpty else { return 0 }
        guard token.count <= 64, let bytes = Base64URL.decode(token) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("p1:"), let id = Int64(text.dropFirst(3)), id > 0 else { return nil }
        return id
    }

    static func pageSize(_ requested: Int32) -> Int {
        requested <= 0 ? defaultPageSize : min(Int(requested), maximumPageSize)
    }
}
