import AlgoProto
import NIOCore
import RPC
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("CreateSubmission")
    struct CreateSubmissionTests {
        @Test("a good submission is stored QUEUED and its job lands in the stream")
        func createsAndEnqueues() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                let source = "#include <cstdio>\nint main() { int a, b; scanf(\"%d %d\", &a, &b); printf(\"%d\\n\", a + b); } // ✓\n"
                let created = try await fixture.create(user: user, language: "cpp", source: source)
                #expect(created.id > 0)
                #expect(created.status == .queued)
                #expect(created.verdict == .unspecified)
                #expect(created.problemSlug == "a-plus-b-\(fixture.catalog.base)")
                #expect(created.testDataVersion == 3)
                #expect(created.attempts == 0)

                let stored = try await fixture.get(created.id)
                #expect(stored.sourceCode == source)
                #expect(stored.userId == user)
                #expect(stored.language == "cpp")
                #expect(stored.status == .queued)

                let job = try await fixture.takeJob(of: created.id)
                #expect(job.problemId == fixture.catalog.aPlusB)
                #expect(job.language == "cpp")
                #expect(job.testDataVersion == 3)
                #expect(job.attempt == 1)
                #expect(SubmissionValidation.jobID(job.jobId) == job.jobId)
                #expect(job.enqueuedAtMs > 0)
            }
        }

        @Test("bad sources, languages and ids are INVALID_ARGUMENT with the field named")
        func rejectsBadInput() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                let tooBig = String(repeating: "x", count: 64 * 1024 + 1)
                var error = await rpcError { try await fixture.create(user: user, source: tooBig) }
                #expect(error?.code == .invalidArgument)
                #expect(violations(error)["source_code"]?.contains("64 KiB") == true)

                // Exactly 64 KiB is allowed.
                try await fixture.create(user: user, source: String(repeating: "y", count: 64 * 1024))

                error = await rpcError { try await fixture.create(user: user, source: " \n\t") }
                #expect(violations(error)["source_code"] == "must not be empty")

                error = await rpcError { try await fixture.create(user: user, language: "rust") }
                #expect(error?.code == .invalidArgument)
                #expect(violations(error)["language"] != nil)

                error = await rpcError { try await fixture.create(user: 0, problem: 0, language: "") }
                #expect(Set(violations(error).keys) == ["user_id", "problem_id", "language"])

                // The problem allows python only.
                error = await rpcError { try await fixture.create(user: user, problem: fixture.catalog.pythonOnly, language: "c") }
                #expect(error?.code == .invalidArgument)
                #expect(violations(error)["language"]?.contains("python") == true)
                try await fixture.create(user: user, problem: fixture.catalog.pythonOnly, language: "python", source: "print(1)\n")
            }
        }

        @Test("invalid UTF-8 on the wire is refused")
        func rejectsInvalidUTF8() async throws {
            try await SubmissionsFixture.with { fixture in
                // Hand-built CreateSubmissionRequest: user_id 1, problem_id, language "c", source 0xC3 0x28.
                var bytes: [UInt8] = [0x08, 0x01, 0x10] + varint(UInt64(fixture.catalog.aPlusB))
                bytes += [0x1A, 0x01, UInt8(ascii: "c")]
                bytes += [0x22, 0x04, UInt8(ascii: "a"), 0xC3, 0x28, UInt8(ascii: "b")]
                let method = RPCMethod<RawMessage, SubmissionsV1.CreateSubmissionResponse>(
                    path: SubmissionsV1.Submissions.createSubmission.path, isIdempotent: false
                )
                let error = await rpcError { _ = try await fixture.client.transport.call(method, RawMessage(bytes: bytes), options: RPCCallOptions()) }
                #expect(error?.code == .invalidArgument)
                #expect(violations(error)["source_code"] == "must be valid UTF-8")
            }
        }

        @Test("a missing problem is NOT_FOUND; one without tests FAILED_PRECONDITION")
        func missingProblem() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                var error = await rpcError { try await fixture.create(user: user, problem: fixture.catalog.missing) }
                #expect(error?.code == .notFound)
                error = await rpcError { try await fixture.create(user: user, problem: fixture.catalog.untested) }
                #expect(error?.code == .failedPrecondition)
                error = await rpcError { _ = try await fixture.get(Int64.max) }
                #expect(error?.code == .notFound)
                error = await rpcError { _ = try await fixture.get(0) }
                #expect(error?.code == .invalidArgument)
            }
        }

        @Test("a draft takes submissions from its authors and staff only; others get NOT_FOUND")
        func draftRules() async throws {
            try await SubmissionsFixture.with { fixture in
                let draft = fixture.catalog.draft
                let stranger = SubmissionsFixture.uniqueUser()
                let error = await rpcError { try await fixture.create(user: stranger, problem: draft) }
                #expect(error?.code == .notFound)
                #expect(error?.message == "no problem with id \(draft)")

                let byAuthor = try await fixture.create(user: fixture.catalog.draftAuthor, problem: draft)
                #expect(byAuthor.status == .queued)
                let byStaff = try await fixture.create(user: stranger, problem: draft, staff: true)
                #expect(byStaff.userId == stranger)
            }
        }

        @Test("Problems unreachable is UNAVAILABLE, not a crash")
        func problemsDown() async throws {
            try await SubmissionsFixture.with { fixture in
                // A second instance of the service whose Problems address has no server behind it.
                var configuration = try RPCClientConfiguration(addresses: "127.0.0.1:1", authenticator: SubmissionsFixture.secret)
                configuration.maximumAttempts = 1
                let problems = RPCClient(configuration: configuration, logger: SubmissionsFixture.logger)
                let instance = SubmissionsAssembly(configuration: fixture.configuration, problems: problems, logger: SubmissionsFixture.logger)
                var request = SubmissionsV1.CreateSubmissionRequest()
                request.userId = 1
                request.problemId = fixture.catalog.aPlusB
                request.language = "c"
                request.sourceCode = "int main(){}"
                let error = await rpcError { _ = try await instance.handler.createSubmission(request, context: testContext()) }
                #expect(error?.code == .unavailable)
                await problems.close()
                await instance.pool.close()
                await instance.redis.close()
            }
        }
    }
}

/// Bytes sent as they are: for requests the typed client cannot build.
struct RawMessage: RPCMessage {
    var bytes: [UInt8] = []
    init() {}
    init(bytes: [UInt8]) { self.bytes = bytes }
    func encode(into buffer: inout ByteBuffer) { buffer.writeBytes(self.bytes) }
    init(decoding bytes: ByteBuffer) throws { self.bytes = Array(bytes.readableBytesView) }
}

func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    repeat {
        var byte = UInt8(value & 0x7F)
        value >>= 7
        if value != 0 { byte |= 0x80 }
        out.append(byte)
    } while value != 0
    return out
}

func testContext(role: String? = nil) -> RPCServerContext {
    RPCServerContext(
        method: "test", metadata: RPCMetadata(requestID: "test", userID: role == nil ? nil : "1", userRole: role),
        deadline: nil, remoteAddress: nil, logger: SubmissionsFixture.logger
    )
}
