import Hummingbird

/// The kinds of failure Edge reports. The `type` URIs are a public contract: clients switch on
/// them, so they never change once published (docs/openapi.json lists them).
enum ProblemType: String, CaseIterable, Sendable {
    case validationError = "validation-error"
    case malformedJSON = "malformed-json"
    case badRequest = "bad-request"
    case unauthenticated
    case forbidden
    case notFound = "not-found"
    case methodNotAllowed = "method-not-allowed"
    case conflict
    case preconditionFailed = "precondition-failed"
    case payloadTooLarge = "payload-too-large"
    case unsupportedMediaType = "unsupported-media-type"
    case rateLimited = "rate-limited"
    case `internal`
    case serviceUnavailable = "service-unavailable"
    case timeout

    static let base = "https://algosports.dev/problems/"

    var uri: String { Self.base + self.rawValue }

    var title: String {
        switch self {
        case .validationError: "Validation failed"
        case .malformedJSON: "Malformed JSON"
        case .badRequest: "Bad request"
        case .unauthenticated: "Authentication required"
        case .forbidden: "Forbidden"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .conflict: "Conflict"
        case .preconditionFailed: "Precondition failed"
        case .payloadTooLarge: "Payload too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .rateLimited: "Too many requests"
        case .internal: "Internal error"
        case .serviceUnavailable: "Service unavailable"
        case .timeout: "Upstream timeout"
        }
    }

    /// The usual status; a few types are also used with another (legacy validation answers 400).
    var status: HTTPResponse.Status {
        switch self {
        case .validationError: .unprocessableContent
        case .malformedJSON, .badRequest: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .preconditionFailed: .preconditionFailed
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        case .internal: .internalServerError
        case .serviceUnavailable: .serviceUnavailable
        case .timeout: .gatewayTimeout
        }
    }
}
