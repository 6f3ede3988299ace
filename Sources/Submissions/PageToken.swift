import AlgoProto
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

    /// The page size asked for (validated not negative): 0 for the default, at most `maxSize`.
    static func size(_ requested: Int32) -> Int {
        requested == 0 ? defaultSize : min(Int(requested), maxSize)
    }

    /// Drops the extra row fetched to see whether another page follows, and makes the next token.
    static func info<T>(_ rows: inout [T], size: Int, id: KeyPath<T, Int64>) -> CommonV1.PageInfo {
        var info = CommonV1.PageInfo()
        if rows.count > size {
            rows.removeLast(rows.count - size)
            info.nextPageToken = encode(lastID: rows[rows.count - 1][keyPath: id])
        }
        return info
    }
}
