import Foundation
import Hummingbird
import NIOCore

/// Reads a JSON request body with every way it can be wrong turned into a 4xx problem:
/// wrong media type 415, too large 413, not JSON 400, a field of the wrong type 422.
struct JSONBodyReader: Sendable {
    let maxBytes: Int
    /// Foundation's decoder names the offending field in its errors. Configured once and never
    /// mutated, so sharing it is safe.
    private static let decoder = JSONDecoder()

    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard Self.isJSON(request.headers[.contentType]) else {
            throw Problem(.unsupportedMediaType, "This endpoint accepts application/json bodies.")
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > self.maxBytes {
            throw self.tooLarge
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: self.maxBytes)
        } catch is NIOTooManyBytesError {
            throw self.tooLarge
        }
        return try Self.decode(type, from: buffer)
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try Self.decoder.decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
    }

    private var tooLarge: Problem {
        Problem(.payloadTooLarge, "The request body is larger than \(self.maxBytes) bytes.")
    }

    /// `application/json` or any `application/*+json`, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.filter { !$0.isWhitespace }.lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func problem(for error: DecodingError) -> Problem {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return Problem(.malformedJSON, "The request body is not valid JSON.")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return Problem(.malformedJSON, "The request body must be a JSON object.")
        case .typeMismatch(let type, let context):
            return .field(fieldName(context.codingPath), "must be \(typeName(type))")
        case .valueNotFound(_, let context):
            return .field(fieldName(context.codingPath), "must not be null")
        case .keyNotFound(let key, let context):
            return .field(fieldName(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            return .field(fieldName(context.codingPath), "has an invalid value")
        @unknown default:
            return Problem(.malformedJSON, "The request body could not be read.")
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "of another type"
        }
    }
}

/// Collects the "is required" errors of a body whose fields are all optional, so that one
/// answer lists every missing field.
struct RequiredFields {
    private(set) var errors: [Problem.FieldError] = []

    /// The value, or "" after recording the field as missing (an empty string counts as missing).
    mutating func require(_ value: String?, _ field: String) -> String {
        guard let value, !value.isEmpty else {
            self.errors.append(.init(field: field, detail: "is required"))
            return ""
        }
        return value
    }

    /// Login names longer than any username or email could be are refused before they reach a
    /// rate-limit key or a query.
    mutating func limit(_ value: String, _ field: String, maxBytes: Int = 254) {
        if value.utf8.count > maxBytes { self.add(field, "must be at most \(maxBytes) bytes long") }
    }

    mutating func add(_ field: String, _ detail: String) {
        self.errors.append(.init(field: field, detail: detail))
    }

    func check() throws {
        if !self.errors.isEmpty { throw Problem.validation(self.errors) }
    }
}
