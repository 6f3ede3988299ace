import AlgoProto
import RPC
import ServiceKit
import Testing

@testable import Problems

@Suite("Problems: zip uploads")
struct ZipUploadTests {
    @Test("pairs at the root and in group directories, stored and deflated, with tests.json")
    func goodZip() async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        problem.scoring = scoring(.ioi, [])
        let created = try await service.create(problem)
        var zip = ZipBuilder()
        zip.add("small/", "")
        zip.add("small/1.in", "1 2\n")
        zip.add("small/1.ans", "3\n", deflate: false)
        zip.add("small/10.in", String(repeating: "5 5\n", count: 1000))
        zip.add("small/10.ans", "10\n")
        zip.add("small/2.in", "2 2\n")
        zip.add("small/2.ans", "4\n")
        zip.add("large/1.in", "100 200\n")
        zip.add("large/1.ans", "300\n")
        zip.add("__MACOSX/._junk", "ignored")
        zip.add("tests.json", """
            {"groups": [{"name": "small", "points": 40}, {"name": "large", "points": 60, "depends_on": ["small"]}],
             "tests": {"small/2": {"points": 7}}}
            """)
        let info = try await service.put(created.id, zip: zip.build())
        #expect(info.tests.map(\.name) == ["large/1", "small/1", "small/2", "small/10"])
        #expect(info.tests.map(\.group) == ["large", "small", "small", "small"])
        #expect(info.tests[2].points == 7)
        #expect(info.tests[3].inputSize == 4000)
        let download = try await service.download(info.tests[3].inputSha256)
        #expect(download.data == Array(String(repeating: "5 5\n", count: 1000).utf8))

        let updated = try await service.get(slug: created.slug)
        #expect(updated.scoring?.groups.map(\.name) == ["small", "large"], "tests.json declares the groups")
        #expect(updated.scoring?.groups[1].dependsOn == ["small"])
        #expect(updated.revision == created.revision + 1, "a new revision, so a stale editor save fails")
        #expect(updated.testDataVersion == info.version)
    }

    @Test(
        "hostile or broken archives are refused, naming the entry",
        arguments: [
            ("../evil.in", "zip:../evil.in"),
            ("/abs.in", "zip:/abs.in"),
            ("a/../../b.in", "zip:a/../../b.in"),
            ("c:\\\\x.in", "zip:c:\\\\x.in"),
            ("a/b/c.in", "zip:a/b/c.in"),
            ("notes.txt", "zip:notes.txt"),
        ]
    )
    func hostileNames(name: String, field: String) async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        var zip = ZipBuilder()
        zip.add("1.in", "1")
        zip.add("1.ans", "1")
        zip.add(name, "x")
        let result = await failure { _ = try await service.put(problem.id, zip: zip.build()) }
        #expect(result.code == .invalidArgument)
        #expect(result.fields[field] != nil, "\(result.fields)")
    }

    @Test("unmatched pairs, duplicates, encryption, corruption and garbage are INVALID_ARGUMENT")
    func brokenArchives() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        func refuse(_ bytes: [UInt8], field: String, sourceLocation: SourceLocation = #_sourceLocation) async {
            let result = await failure { _ = try await service.put(problem.id, zip: bytes) }
            #expect(result.code == .invalidArgument, sourceLocation: sourceLocation)
            #expect(result.fields[field] != nil, "\(result.fields)", sourceLocation: sourceLocation)
        }
        var unmatched = ZipBuilder()
        unmatched.add("1.in", "1")
        unmatched.add("2.ans", "2")
        await refuse(unmatched.build(), field: "zip:1.in")

        var duplicate = ZipBuilder()
        duplicate.add("1.in", "1")
        duplicate.add("1.in", "1")
        duplicate.add("1.ans", "1")
        await refuse(duplicate.build(), field: "zip:1.in")

        var encrypted = ZipBuilder()
        encrypted.add(.init(name: "1.in", data: Array("1".utf8), flags: 1))
        encrypted.add("1.ans", "1")
        await refuse(encrypted.build(), field: "zip:1.in")

        var corrupt = ZipBuilder()
        corrupt.add("1.in", "hello hello hello")
        corrupt.add("1.ans", "1")
        var bytes = corrupt.build()
        bytes[30 + 4 + 2] ^= 0xFF  // inside 1.in's deflate stream
        await refuse(bytes, field: "zip:1.in")

        await refuse(Array("this is not a zip at all, just some words".utf8), field: "zip")
        var truncated = corrupt.build()
        truncated.removeLast(10)
        await refuse(truncated, field: "zip")

        var badJSON = ZipBuilder()
        badJSON.add("1.in", "1")
        badJSON.add("1.ans", "1")
        badJSON.add("tests.json", "{\"groups\": [{\"name\": 5}]}")
        await refuse(badJSON.build(), field: "tests.json")

        var cycle = ZipBuilder()
        cycle.add("a/1.in", "1")
        cycle.add("a/1.ans", "1")
        cycle.add("tests.json", #"{"groups": [{"name": "a", "depends_on": ["b"]}, {"name": "b", "depends_on": ["a"]}]}"#)
        await refuse(cycle.build(), field: "tests.json:groups")

        var undeclared = ZipBuilder()
        undeclared.add("b/1.in", "1")
        undeclared.add("b/1.ans", "1")
        undeclared.add("tests.json", #"{"groups": [{"name": "a", "points": 100}]}"#)
        await refuse(undeclared.build(), field: "tests:b/1")
        #expect(try await service.get(slug: problem.slug).testDataVersion == 0, "nothing was stored")
    }

    @Test("a zip bomb stops at its declared size: the real inflated size is what is capped")
    func bomb() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        // 8 MiB of zeros deflate to a few KiB; the headers claim 100 bytes.
        var zip = ZipBuilder()
        zip.add(.init(name: "1.in", data: [UInt8](repeating: 0, count: 8 << 20), declaredSize: 100))
        zip.add("1.ans", "1")
        let bytes = zip.build()
        #expect(bytes.count < 64 << 10)
        let result = await failure { _ = try await service.put(problem.id, zip: bytes) }
        #expect(result.code == .invalidArgument && result.fields["zip:1.in"]?.contains("declared") == true, "\(result.fields)")

        // The same stream inflated directly: the output never grows past the cap.
        let stream = ZipBuilder.rawDeflate([UInt8](repeating: 0, count: 8 << 20))
        guard case .failure(.exceedsLimit) = Inflater.inflateRaw(stream[...], maximumOutput: 1 << 20) else {
            Issue.record("inflating past the cap must fail")
            return
        }
        guard case .success(let whole) = Inflater.inflateRaw(stream[...], maximumOutput: 8 << 20) else {
            Issue.record("exactly at the cap must succeed")
            return
        }
        #expect(whole.count == 8 << 20)
    }

    @Test("declared sizes beyond the limits are refused before anything is inflated")
    func limits() async throws {
        let service = try await ProblemsFixture.small.value
        let problem = try await service.create(ProblemsFixture.problem())
        var bigFile = ZipBuilder()
        bigFile.add("1.in", String(repeating: "a", count: 1001))
        bigFile.add("1.ans", "1")
        let file = await failure { _ = try await service.put(problem.id, zip: bigFile.build()) }
        #expect(file.code == .resourceExhausted && file.fields["zip:1.in"] != nil, "\(file.fields)")

        var bigVersion = ZipBuilder()
        for name in ["1", "2"] {
            bigVersion.add("\(name).in", String(repeating: "a", count: 1000))
            bigVersion.add("\(name).ans", String(repeating: "a", count: 1000))
        }
        let version = await failure { _ = try await service.put(problem.id, zip: bigVersion.build()) }
        #expect(version.code == .resourceExhausted && version.fields["zip:2.ans"] != nil, "\(version.fields)")

        var many = ZipBuilder()
        for name in 1...4 {
            many.add("\(name).in", "")
            many.add("\(name).ans", "")
        }
        let count = await failure { _ = try await service.put(problem.id, zip: many.build()) }
        #expect(count.code == .resourceExhausted && count.fields["zip"] != nil)
    }

    @Test("a zip above the default 4 MiB RPC frame uploads: the server's frame limit follows the upload limit")
    func largeUpload() async throws {
        let service = try await ProblemsFixture.make()
        let problem = try await service.create(ProblemsFixture.problem())
        var noise = [UInt8](repeating: 0, count: 5 << 20)
        var state: UInt64 = UInt64.random(in: 1...UInt64.max)
        for index in noise.indices {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            noise[index] = UInt8(truncatingIfNeeded: state)
        }
        var zip = ZipBuilder()
        zip.add(.init(name: "1.in", data: noise, deflate: false))
        zip.add("1.ans", "ok")
        let bytes = zip.build()
        #expect(bytes.count > 5 << 20)
        let info = try await service.put(problem.id, zip: bytes)
        #expect(info.tests.first?.inputSize == Int64(noise.count))
        #expect(info.tests.first?.inputSha256 == Hex.encode(Digest.sha256(noise)))
    }

    @Test("natural order: digit runs compare by value; equal values fall back to bytes")
    func naturalOrder() {
        let names = ["10", "2", "1", "a10", "a9", "g1/10", "g1/9", "01", "b"]
        #expect(names.sorted(by: NaturalOrder.less) == ["01", "1", "2", "10", "a9", "a10", "b", "g1/9", "g1/10"])
    }
}
