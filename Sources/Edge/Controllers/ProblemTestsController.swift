import AlgoProto
import Hummingbird
import NIOCore
import RPC

/// `PUT /api/v1/problems/{slug}/tests`: a new test data version, from a zip (`NAME.in` /
/// `NAME.ans`, optional groups and `tests.json`, unpacked by Problems) or from JSON. This route
/// alone accepts bodies up to MAX_TEST_DATA_BYTES.
struct ProblemTestsController: Sendable {
    let access: ProblemAccess
    let upstream: UpstreamOptions
    let authenticator: BearerAuthenticator
    let maxBytes: Int

    static let zipMediaTypes: Set<String> = ["application/zip", "application/x-zip-compressed"]
    /// Storing a large version takes longer than an ordinary call.
    static let minimumTimeout: Duration = .seconds(120)

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.putProblemTests, use: self.put)
    }

    @Sendable func put(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let caller = try self.authenticator.require(request)
        let slug = try ProblemAccess.slug(context)
        let mediaType = request.headers[.contentType].map(Self.mediaType) ?? ""
        let isZip = Self.zipMediaTypes.contains(mediaType)
        guard isZip || JSONBodyReader.isJSON(request.headers[.contentType]) else {
            throw Problem(.unsupportedMediaType, "Send test data as application/zip or application/json.")
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > self.maxBytes { throw self.tooLarge }
        // Who may upload is settled before reading up to MAX_TEST_DATA_BYTES from anyone.
        let problem = try await self.access.loadForEditing(slug: slug, caller: caller, context: context)
        var call = ProblemsV1.PutTestDataRequest()
        call.problemId = problem.id
        if isZip {
            let zip = try await self.collect(request)
            guard zip.readableBytes > 0 else { throw Problem(.validationError, "The zip archive is empty.") }
            call.content = .zip(Array(zip.readableBytesView))
        } else {
            let body = try await JSONBodyReader(maxBytes: self.maxBytes).decode(TestsBody.self, from: request)
            call.content = .tests(try body.testCaseList())
        }
        var options = self.upstream.callOptions(context, caller: caller)
        options.timeout = max(options.timeout ?? Self.minimumTimeout, Self.minimumTimeout)
        do {
            let response = try await self.access.problems.putTestData(call, options: options)
            guard let info = response.info else { throw Problem.internalError }
            return .json(TestDataInfoResource(info: info))
        } catch let error as RPCError where error.code == .resourceExhausted {
            // Here it means too much data (the service's limits, or the RPC frame), not too many requests.
            throw Problem(.payloadTooLarge, error.message)
        }
    }

    private var tooLarge: Problem { Problem(.payloadTooLarge, "Test data is limited to \(self.maxBytes) bytes.") }

    private func collect(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: self.maxBytes)
        } catch is NIOTooManyBytesError {
            throw self.tooLarge
        }
    }

    static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";", maxSplits: 1).first.map { $0.filter { !$0.isWhitespace }.lowercased() } ?? ""
    }
}

/// `{tests: [{input, answer, group?, points?}]}`; tests are named "1", "2", … in order.
struct TestsBody: Decodable, Sendable {
    var tests: [TestBody]?

    struct TestBody: Decodable, Sendable {
        var input: String?
        var answer: String?
        var group: String?
        var points: Int32?
    }

    func testCaseList() throws -> ProblemsV1.TestCaseList {
        var fields = RequiredFields()
        guard let tests, !tests.isEmpty else { throw Problem.field("tests", "must list at least one test") }
        var list = ProblemsV1.TestCaseList()
        for (index, body) in tests.enumerated() {
            // An empty input or answer is legitimate; a missing one is a mistake.
            if body.input == nil { fields.add("tests[\(index)].input", "is required") }
            if body.answer == nil { fields.add("tests[\(index)].answer", "is required") }
            var test = ProblemsV1.TestCase()
            test.name = String(index + 1)
            test.input = Array((body.input ?? "").utf8)
            test.answer = Array((body.answer ?? "").utf8)
            test.group = body.group ?? ""
            test.points = body.points ?? 0
            list.tests.append(test)
        }
        try fields.check()
        return list
    }
}

/// What a test data version holds (sizes, not contents).
struct TestDataInfoResource: JSONResponseBody {
    var info: ProblemsV1.TestDataInfo

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("version", self.info.version)
        json.field("tests", self.info.tests.map(TestFileResource.init))
        json.field("total_size", self.info.totalSize)
        json.field("created_at", RFC3339.format(milliseconds: self.info.createdAtMs))
        json.endObject()
    }

    private struct TestFileResource: JSONResponseBody {
        var file: ProblemsV1.TestFileInfo

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.field("name", self.file.name)
            json.field("group", self.file.group)
            json.field("points", self.file.points)
            json.field("input_size", self.file.inputSize)
            json.field("answer_size", self.file.answerSize)
            json.endObject()
        }
    }
}
