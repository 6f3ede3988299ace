import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// PUT /api/v1/problems/{slug}/tests: zip and JSON uploads, their media types and size limit.
@Suite struct ProblemTestsRouteTests {
    /// A stored (uncompressed) zip holding `1.in`/`1.ans`; the fake only checks the "PK" magic.
    static let zip: [UInt8] = Array("PK\u{3}\u{4}".utf8) + Array(repeating: 0x41, count: 2000)

    static func upload(_ client: some TestClientProtocol, _ slug: String, bytes: [UInt8], contentType: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/problems/\(slug)/tests", method: .put, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    @Test func zipAndJSONUploadsMakeNewVersions() async throws {
        let harness = try await EdgeHarness(["MAX_TEST_DATA_BYTES": "200000"])
        let problems = harness.services.fakes.problems
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("tests")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Tests"], token: author.token).status == .created)

            let zip = try await Self.upload(client, slug, bytes: Self.zip, contentType: "application/zip", token: author.token)
            #expect(zip.status == .ok, "\(zip.bodyText)")
            #expect(zip.json["version"] as? Int == 1 && zip.json["total_size"] as? Int == Self.zip.count)
            let problemID = try #require(problems.problem(slug: slug)?.id)
            guard case .zip(let received)? = problems.state.withLock({ $0.uploads[problemID]?.content }) else {
                Issue.record("the zip did not reach Problems")
                return
            }
            #expect(received == Self.zip)

            let json = try await client.send(
                .put, "/api/v1/problems/\(slug)/tests",
                json: ["tests": [["input": "1 2\n", "answer": "3\n"], ["input": "", "answer": "0\n", "group": "big", "points": 5]]],
                token: author.token
            )
            #expect(json.status == .ok, "\(json.bodyText)")
            #expect(json.json["version"] as? Int == 2)
            let tests = json.json["tests"] as? [[String: Any]] ?? []
            #expect(tests.map { $0["name"] as? String } == ["1", "2"])
            #expect(tests.last?["group"] as? String == "big" && tests.last?["points"] as? Int == 5)
            #expect(tests.first?["input_size"] as? Int == 4 && tests.first?["answer_size"] as? Int == 2)
            #expect(problems.problem(slug: slug)?.testDataVersion == 2)
        }
    }

    @Test func badUploadsAreRefused() async throws {
        let harness = try await EdgeHarness(["MAX_TEST_DATA_BYTES": "200000", "MAX_BODY_BYTES": "1000"])
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("badtests")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Bad"], token: author.token).status == .created)

            let text = try await Self.upload(client, slug, bytes: Self.zip, contentType: "text/plain", token: author.token)
            #expect(text.status == .unsupportedMediaType && text.problemType == "unsupported-media-type")
            // Above MAX_BODY_BYTES but within MAX_TEST_DATA_BYTES: accepted on this route only.
            #expect(try await Self.upload(client, slug, bytes: Self.zip, contentType: "application/zip", token: author.token).status == .ok)
            let tooLarge = try await Self.upload(
                client, slug, bytes: Self.zip + [UInt8](repeating: 0, count: 200_000), contentType: "application/zip", token: author.token
            )
            #expect(tooLarge.status == .contentTooLarge && tooLarge.problemType == "payload-too-large")
            let notZip = try await Self.upload(client, slug, bytes: Array("hello".utf8), contentType: "application/zip", token: author.token)
            #expect(notZip.status == .unprocessableContent && notZip.fieldErrors["zip"] == "is not a zip archive")
            let empty = try await Self.upload(client, slug, bytes: [], contentType: "application/zip", token: author.token)
            #expect(empty.status == .unprocessableContent)

            let none = try await client.send(.put, "/api/v1/problems/\(slug)/tests", json: ["tests": []], token: author.token)
            #expect(none.status == .unprocessableContent && none.fieldErrors["tests"] == "must list at least one test")
            let missing = try await client.send(.put, "/api/v1/problems/\(slug)/tests", json: ["tests": [["input": "1"]]], token: author.token)
            #expect(missing.fieldErrors == ["tests[0].answer": "is required"])

            #expect(try await Self.upload(client, slug, bytes: Self.zip, contentType: "application/zip", token: nil).status == .unauthorized)
            // Draft: a stranger is told nothing exists; nothing reaches Problems.
            let stranger = try await Self.upload(client, slug, bytes: Self.zip, contentType: "application/zip", token: harness.token("user").token)
            #expect(stranger.status == .notFound)
        }
    }

    /// Problems refuses with RESOURCE_EXHAUSTED (its own limits, or the RPC frame limit): that is a
    /// 413 here, not a rate limit.
    @Test func serviceLimitsAre413() async throws {
        let harness = try await EdgeHarness(["MAX_TEST_DATA_BYTES": "\(4 << 20)"])
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("limit")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Limit", "visibility": "public"], token: author.token).status == .created)
            let big = Self.zip + [UInt8](repeating: 7, count: 2 << 20)
            let response = try await Self.upload(client, slug, bytes: big, contentType: "application/zip", token: author.token)
            #expect(response.status == .contentTooLarge)
            #expect(response.json["detail"] as? String == "test data exceeds the 1048576-byte limit")
            // Public, but a plain user may not upload.
            #expect(try await Self.upload(client, slug, bytes: Self.zip, contentType: "application/zip", token: harness.token("user").token).status == .forbidden)
        }
    }
}
