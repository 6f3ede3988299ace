import AlgoProto
import Hummingbird

/// The query string of a list route: paging and filters, with every invalid value reported as a
/// 422 field error named after its parameter.
struct ListQuery {
    static let maximumPageSize = 100
    /// Tokens are the services' opaque cursors; nothing near this long is ever issued.
    static let maximumTokenBytes = 512

    let parameters: Parameters
    var fields = RequiredFields()

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    /// `page_size` (1…100, absent: the service's default) and `page_token`.
    mutating func page() -> CommonV1.PageRequest {
        var page = CommonV1.PageRequest()
        if let text = self.parameters.get("page_size") {
            if let size = Int32(text), (1...Int32(Self.maximumPageSize)).contains(size) {
                page.pageSize = size
            } else {
                self.fields.add("page_size", "must be an integer from 1 to \(Self.maximumPageSize)")
            }
        }
        if let token = self.parameters.get("page_token") {
            if token.utf8.count > Self.maximumTokenBytes {
                self.fields.add("page_token", "is not a token this API issued")
            } else {
                page.pageToken = token
            }
        }
        return page
    }

    /// A repeatable parameter that also takes a comma list (`?tag=a&tag=b` or `?tag=a,b`).
    func list(_ name: String) -> [String] {
        self.parameters.getAll(name).flatMap { $0.split(separator: ",") }.map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    /// A list of enum names; unknown names are field errors.
    mutating func list<Value>(_ name: String, _ names: WireNames<Value>) -> [Value] {
        var values: [Value] = []
        for item in self.list(name) {
            if let value = names.parse(item) { values.append(value) } else { self.fields.add(name, "\(item): \(names.mustBeOneOf)") }
        }
        return values
    }

    /// A single text value, trimmed; nil when absent or empty.
    mutating func text(_ name: String, maxBytes: Int = 200) -> String? {
        guard let value = self.parameters.get(name)?.trimmed, !value.isEmpty else { return nil }
        guard value.utf8.count <= maxBytes else {
            self.fields.add(name, "must be at most \(maxBytes) bytes long")
            return nil
        }
        return value
    }

    /// A positive integer id; nil when absent.
    mutating func id(_ name: String) -> Int64? {
        guard let text = self.text(name, maxBytes: 32) else { return nil }
        guard let id = Int64(text), id > 0 else {
            self.fields.add(name, "must be a positive integer")
            return nil
        }
        return id
    }

    /// `true` or `false`; nil when absent.
    mutating func bool(_ name: String) -> Bool? {
        guard let text = self.text(name, maxBytes: 8) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            self.fields.add(name, "must be true or false")
            return nil
        }
    }

    /// An integer in `range`; nil when absent.
    mutating func integer(_ name: String, _ range: ClosedRange<Int32>) -> Int32? {
        guard let text = self.text(name, maxBytes: 16) else { return nil }
        guard let value = Int32(text), range.contains(value) else {
            self.fields.add(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    func check() throws { try self.fields.check() }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
