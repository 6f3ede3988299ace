import Hummingbird

/// An RFC 9457 problem: every failure Edge answers with, rendered as `application/problem+json`.
///
/// `detail` is shown to clients, so it never carries internal messages (500s say nothing more).
struct Problem: Error, HTTPResponseError, CustomStringConvertible {
    var type: ProblemType
    var status: HTTPResponse.Status
    var detail: String
    var errors: [FieldError]
    /// Extra response headers: Retry-After, WWW-Authenticate, Allow.
    var headers: HTTPFields

    struct FieldError: Hashable, Sendable {
        var field: String
        var detail: String
    }

    init(_ type: ProblemType, _ detail: String, status: HTTPResponse.Status? = nil, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.type = type
        self.status = status ?? type.status
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    var description: String { "\(self.status.code) \(self.type.rawValue): \(self.detail)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response(instance: request.uri.path, requestID: (context as? EdgeRequestContext)?.requestID)
    }

    func response(instance: String?, requestID: String?) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", self.type.uri)
        json.field("title", self.type.title)
        json.field("status", Int64(self.status.code))
        json.field("detail", self.detail)
        json.field("instance", instance)
        json.field("request_id", requestID)
        if !self.errors.isEmpty {
            json.key("errors")
            json.beginArray()
            for error in self.errors {
                json.element()
                json.beginObject()
                json.field("field", error.field)
                json.field("detail", error.detail)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: json.buffer))
    }
}

extension Problem {
    static func validation(_ errors: [FieldError], detail: String = "The request has invalid fields.") -> Problem {
        Problem(.validationError, detail, errors: errors)
    }

    static func field(_ field: String, _ detail: String) -> Problem {
        .validation([FieldError(field: field, detail: detail)])
    }

    /// 401 with the challenge RFC 6750 asks for; `error` names why a presented token failed.
    static func unauthenticated(_ detail: String, invalidToken: Bool = false) -> Problem {
        var challenge = "Bearer realm=\"algosports\""
        if invalidToken {
            challenge += ", error=\"invalid_token\", error_description=\"\(detail.filter { $0 != "\"" && $0 != "\\" })\""
        }
        return Problem(.unauthenticated, detail, headers: [.wwwAuthenticate: challenge])
    }

    static func retryAfter(_ type: ProblemType, _ detail: String, seconds: Int) -> Problem {
        Problem(type, detail, headers: [.retryAfter: String(max(1, seconds))])
    }

    static let internalError = Problem(.internal, "The server failed to handle the request.")
}
