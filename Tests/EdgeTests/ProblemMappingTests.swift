import AlgoProto
import Hummingbird
import RPC
import Testing

@testable import Edge

/// RPC statuses → HTTP problems, without I/O.
@Suite struct ProblemMappingTests {
    @Test(arguments: [
        (RPCStatusCode.unauthenticated, 401, "unauthenticated"),
        (.permissionDenied, 403, "forbidden"),
        (.notFound, 404, "not-found"),
        (.alreadyExists, 409, "conflict"),
        (.failedPrecondition, 409, "conflict"),
        (.aborted, 409, "conflict"),
        (.invalidArgument, 422, "validation-error"),
        (.resourceExhausted, 429, "rate-limited"),
        (.unavailable, 503, "service-unavailable"),
        (.deadlineExceeded, 504, "timeout"),
        (.internal, 500, "internal"),
        (.unknown, 500, "internal"),
        (.dataLoss, 500, "internal"),
        (.unimplemented, 500, "internal"),
    ])
    func statusMapping(code: RPCStatusCode, status: Int, type: String) {
        let problem = Problem(RPCError(code, "secret internal detail at 10.0.0.3:5432"))
        #expect(Int(problem.status.code) == status)
        #expect(problem.type.rawValue == type)
        if status >= 500 { #expect(!problem.detail.contains("10.0.0.3"), "server-side failures never leak their message") }
    }

    @Test func fieldViolationsAndRetryAfterComeFromDetails() {
        var details = CommonV1.ErrorDetails()
        var violation = CommonV1.FieldViolation()
        violation.field = "email"
        violation.description = "is not a valid email address"
        details.fieldViolations = [violation]
        details.retryAfterMs = 2500
        let bytes = Array(details.encoded().readableBytesView)

        let invalid = Problem(RPCError(.invalidArgument, "email is not a valid email address", details: bytes))
        #expect(invalid.errors == [.init(field: "email", detail: "is not a valid email address")])
        let limited = Problem(RPCError(.resourceExhausted, "slow down", details: bytes))
        #expect(limited.headers[.retryAfter] == "3")
        let unavailable = Problem(RPCError(.unavailable, "down"))
        #expect(unavailable.headers[.retryAfter] == "1")
        // Undecodable details are ignored, not fatal.
        #expect(Problem(RPCError(.invalidArgument, "bad", details: [0xFF, 0xFF, 0xFF])).errors.isEmpty)
    }

    @Test func decodingErrorsBecomeFieldProblems() {
        struct Body: Decodable { var name: String?; var tags: [String]? }
        func problem(_ json: String) -> Problem? {
            let result = Result { try JSONBodyReader.decode(Body.self, from: ByteBuffer(string: json)) }
            guard case .failure(let problem as Problem) = result else { return nil }
            return problem
        }
        #expect(problem("{")?.type == .malformedJSON)
        #expect(problem("3")?.type == .malformedJSON)
        #expect(problem("{\"name\": 3}")?.errors == [.init(field: "name", detail: "must be a string")])
        #expect(problem("{\"tags\": [\"a\", 1]}")?.errors.first?.field == "tags.[1]")
        #expect(problem("{\"name\": null}") == nil)
    }

    @Test func mediaTypes() {
        #expect(JSONBodyReader.isJSON("application/json"))
        #expect(JSONBodyReader.isJSON("Application/JSON; charset=UTF-8"))
        #expect(JSONBodyReader.isJSON("application/problem+json"))
        #expect(!JSONBodyReader.isJSON("text/json"))
        #expect(!JSONBodyReader.isJSON("application/jsonx"))
        #expect(!JSONBodyReader.isJSON(nil))
    }
}
