import AlgoProto
import RPC
import ServiceKit
import Testing

@testable import Problems

@Suite("Problems: test data versions, content addressing, downloads")
struct TestDataTests {
    @Test("JSON tests become a version in natural name order, and the problem points at it")
    func jsonTests() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        let info = try await service.put(problem.id, tests: [
            testCase("10", "10\n", "ten\n"), testCase("2", "2\n", "two\n"), testCase("1", "1\n", "one\n", points: 5),
        ])
        #expect(info.version == 1 && info.problemId == problem.id)
        #expect(info.tests.map(\.name) == ["1", "2", "10"], "\"2\" before \"10\"")
        #expect(info.tests[0].points == 5)
        #expect(info.tests[0].inputSha256 == Hex.encode(Digest.sha256(Array("1\n".utf8))))
        #expect(info.tests[2].answerSize == 4)
        #expect(info.totalSize == 2 + 4 + 2 + 4 + 3 + 4)
        #expect(try await service.get(slug: problem.slug).testDataVersion == 1)

        // Unnamed tests (Edge's JSON) are numbered in the order given.
        let second = try await service.put(problem.id, tests: [testCase("", "a", "b"), testCase("", "c", "d")])
        #expect(second.version == 2 && second.tests.map(\.name) == ["1", "2"])
        #expect(try await service.get(slug: problem.slug).testDataVersion == 2, "the new version is current")

        var request = ProblemsV1.GetTestDataInfoRequest()
        request.problemId = problem.id
        #expect(try await service.client.getTestDataInfo(request).info == second, "version 0 is the current one")
        request.version = 1
        #expect(try await service.client.getTestDataInfo(request).info == info, "old versions stay")
        request.version = 3
        #expect(await failure { _ = try await service.client.getTestDataInfo(request) }.code == .notFound)
    }

    @Test("bad JSON tests are refused, naming the test")
    func badJSONTests() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        let duplicate = await failure { _ = try await service.put(problem.id, tests: [testCase("1", "", ""), testCase("1", "", "")]) }
        #expect(duplicate.code == .invalidArgument && duplicate.fields["tests[1].name"] != nil)
        let badName = await failure { _ = try await service.put(problem.id, tests: [testCase("../x", "", "")]) }
        #expect(badName.code == .invalidArgument && badName.fields["tests[0].name"] != nil)
        let empty = await failure { _ = try await service.put(problem.id, tests: []) }
        #expect(empty.code == .invalidArgument)
        let noContent = await failure {
            var request = ProblemsV1.PutTestDataRequest()
            request.problemId = problem.id
            _ = try await service.client.putTestData(request)
        }
        #expect(noContent.code == .invalidArgument && noContent.fields["content"] != nil)
        let noProblem = await failure { _ = try await service.put(Int64(Int32.max) * 1000, tests: [testCase("1", "", "")]) }
        #expect(noProblem.code == .notFound)
        #expect(try await service.get(slug: problem.slug).testDataVersion == 0, "nothing was stored")
    }

    @Test("IOI problems: every test names a declared group")
    func ioiGroups() async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        problem.scoring = scoring(.ioi, [("small", 40, []), ("large", 60, ["small"])])
        let created = try await service.create(problem)
        let undeclared = await failure { _ = try await service.put(created.id, tests: [testCase("1", "", "", group: "medium")]) }
        #expect(undeclared.code == .invalidArgument && undeclared.fields["tests:1"] != nil)
        let info = try await service.put(created.id, tests: [testCase("1", "", "", group: "small"), testCase("2", "", "", group: "large")])
        #expect(info.tests.map(\.group) == ["small", "large"])
    }

    @Test("a file is stored once however many tests, versions and problems use it")
    func contentAddressing() async throws {
        let service = try await ProblemsFixture.make()
        let unique = ProblemsFixture.uniqueSlug("content")
        let first = try await service.create(ProblemsFixture.problem())
        let second = try await service.create(ProblemsFixture.problem())
        let a = try await service.put(first.id, tests: [testCase("1", unique, unique), testCase("2", unique, "x" + unique)])
        let b = try await service.put(second.id, tests: [testCase("1", unique, unique)])
        #expect(a.tests[0].inputSha256 == a.tests[0].answerSha256 && a.tests[0].inputSha256 == b.tests[0].inputSha256)
        let hash = try #require(Hex.decode(a.tests[0].inputSha256))
        let counts = try await service.assembly.pool.query(
            """
            SELECT (SELECT count(*) FROM test_blobs WHERE sha256 = $1) AS blobs,
                   (SELECT count(*) FROM test_blob_chunks WHERE sha256 = $1) AS chunks
            """,
            [hash]
        )[0]
        #expect(try counts.decode("blobs", as: Int64.self) == 1)
        #expect(try counts.decode("chunks", as: Int64.self) == 1)
    }

    @Test("chunked downloads reassemble a multi-chunk file exactly; chunks never exceed the cap")
    func download() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        // 2.5 MiB of varied bytes: three chunk rows, and reads that straddle row boundaries.
        var big = [UInt8](repeating: 0, count: 5 << 19)
        var state: UInt32 = UInt32.random(in: 1...UInt32.max)
        for index in big.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            big[index] = UInt8(truncatingIfNeeded: state)
        }
        var test = testCase("1", "", "ok\n")
        test.input = big
        let info = try await service.put(problem.id, tests: [test])
        let file = try #require(info.tests.first)
        #expect(file.inputSize == Int64(big.count) && file.inputSha256 == Hex.encode(Digest.sha256(big)))

        var assembled: [UInt8] = []
        var eof = false
        var calls = 0
        while !eof && calls < 100 {
            let chunk = try await service.download(file.inputSha256, offset: Int64(assembled.count), maxLength: 700_000)
            #expect(chunk.data.count <= 700_000 && chunk.totalSize == Int64(big.count))
            assembled += chunk.data
            eof = chunk.eof
            calls += 1
        }
        #expect(assembled == big)
        #expect(calls == 4)

        let capped = try await service.download(file.inputSha256, offset: 1, maxLength: Int32.max)
        #expect(capped.data.count == TestDataStore.chunkSize && !capped.eof, "the server caps chunks at 1 MiB")
        #expect(capped.data[...] == big[1..<(1 + TestDataStore.chunkSize)])
        let end = try await service.download(file.inputSha256, offset: Int64(big.count))
        #expect(end.data.isEmpty && end.eof, "reading at the end is an empty last chunk")

        #expect(await failure { _ = try await service.download(file.inputSha256, offset: Int64(big.count) + 1) }.code == .outOfRange)
        #expect(await failure { _ = try await service.download(file.inputSha256, offset: -1) }.code == .outOfRange)
        #expect(await failure { _ = try await service.download(String(repeating: "0", count: 64)) }.code == .notFound)
        #expect(await failure { _ = try await service.download("not-a-hash") }.code == .invalidArgument)
        #expect(await failure { _ = try await service.download(file.inputSha256.uppercased()) }.code == .invalidArgument)

        let small = try await service.download(file.answerSha256)
        #expect(small.data == Array("ok\n".utf8) && small.eof && small.totalSize == 3)
    }

    @Test("limits per file, per version and on the test count name what exceeded them")
    func limits() async throws {
        let service = try await ProblemsFixture.small.value
        let problem = try await service.create(ProblemsFixture.problem())
        let big = String(repeating: "x", count: 1001)
        let file = await failure { _ = try await service.put(problem.id, tests: [testCase("1", "", ""), testCase("2", "", big)]) }
        #expect(file.code == .resourceExhausted && file.fields["tests[1].answer"] != nil, "\(file.fields)")
        let half = String(repeating: "y", count: 900)
        let version = await failure {
            _ = try await service.put(problem.id, tests: [testCase("1", half, half), testCase("2", half, half)])
        }
        #expect(version.code == .resourceExhausted && version.fields["tests[1]"] != nil)
        let count = await failure { _ = try await service.put(problem.id, tests: (1...4).map { testCase("\($0)", "", "") }) }
        #expect(count.code == .resourceExhausted && count.fields["tests"] != nil)
        _ = try await service.put(problem.id, tests: [testCase("1", half, half)])
    }
}
