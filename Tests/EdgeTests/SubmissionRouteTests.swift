import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// /api/v1/submissions against the in-memory Problems and Submissions over real RPC.
@Suite struct SubmissionRouteTests {
    /// A public problem, and optionally a draft, created by a staff author.
    static func problem(_ client: some TestClientProtocol, _ harness: EdgeHarness, visibility: String = "public", languages: [String] = []) async throws -> String {
        let slug = ProblemRouteTests.uniqueSlug("sub")
        let body: [String: Any] = ["slug": slug, "title": "Sub", "visibility": visibility, "allowed_languages": languages]
        let response = try await client.send(.post, "/api/v1/problems", json: body, token: harness.token("staff").token)
        #expect(response.status == .created)
        return slug
    }

    @Test func submitThenReadIt() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let slug = try await Self.problem(client, harness)
            let author = harness.token("user")
            let body: [String: Any] = ["problem": slug, "language": "c", "source": "int main() { return 0; }"]
            #expect(try await client.send(.post, "/api/v1/submissions", json: body).status == .unauthorized)

            let created = try await client.send(.post, "/api/v1/submissions", json: body, token: author.token)
            #expect(created.status == .accepted, "\(created.bodyText)")
            let id = try #require(created.json["id"] as? Int)
            #expect(created.headers[.location] == "/api/v1/submissions/\(id)")
            #expect(created.json["status"] as? String == "queued")
            #expect(created.json["verdict"] is NSNull)
            #expect(created.json["source"] as? String == "int main() { return 0; }")
            let forwarded = try #require(fakes.submissions.state.withLock { $0.creates.last { $0.userId == author.id } })
            #expect(forwarded.callerIsStaff == false && forwarded.language == "c")
            #expect(forwarded.problemId == fakes.problems.problem(slug: slug)?.id)

            // Judged: results for everyone, source and messages for the author and staff.
            fakes.submissions.update(Int64(id)) { submission in
                submission.status = .done
                submission.verdict = .wa
                submission.score = 0
                submission.maxScore = 100
                submission.compileOutput = "warning: unused"
                submission.judgedAtMs = 1_700_000_100_000
                var test = SubmissionsV1.TestResult()
                test.testIndex = 1
                test.testName = "1"
                test.verdict = .wa
                test.cpuTimeMs = 12
                test.memoryKb = 1024
                test.checkerMessage = "expected 3, found 4"
                var crash = SubmissionsV1.TestResult()
                crash.testIndex = 2
                crash.verdict = .re
                crash.exitCode = -11  // SIGSEGV
                submission.results = [test, crash]
            }
            for token in [nil, harness.token("user").token] {
                let other = try await client.send(.get, "/api/v1/submissions/\(id)", token: token)
                #expect(other.status == .ok)
                #expect(other.json["verdict"] as? String == "WA" && other.json["status"] as? String == "done")
                #expect(other.json["source"] == nil && other.json["compile_output"] is NSNull)
                let test = (other.json["tests"] as? [[String: Any]])?.first
                #expect(test?["verdict"] as? String == "WA" && test?["time_ms"] as? Int == 12 && test?["checker_message"] is NSNull)
                #expect(test?["exit_code"] as? Int == 0 && test?["signal"] is NSNull)
                let crash = (other.json["tests"] as? [[String: Any]])?.last
                #expect(crash?["verdict"] as? String == "RE" && crash?["exit_code"] is NSNull && crash?["signal"] as? Int == 11)
                #expect(!other.bodyText.contains("return 0"))
            }
            for token in [author.token, harness.token("staff").token] {
                let privileged = try await client.send(.get, "/api/v1/submissions/\(id)", token: token)
                #expect(privileged.json["source"] as? String == "int main() { return 0; }")
                #expect(privileged.json["compile_output"] as? String == "warning: unused")
                #expect((privileged.json["tests"] as? [[String: Any]])?.first?["checker_message"] as? String == "expected 3, found 4")
                #expect(privileged.json["judged_at"] as? String == "2023-11-14T22:15:00.000Z")
            }
            #expect(try await client.send(.get, "/api/v1/submissions/999999999").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/submissions/abc").status == .badRequest)
            #expect(try await client.send(.get, "/api/v1/submissions/-1").status == .badRequest)
            #expect(try await client.send(.get, "/api/v1/submissions/abc/events").status == .badRequest)
        }
    }

    @Test func badSubmissionsAreRefused() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let slug = try await Self.problem(client, harness, languages: ["python"])
            let draft = try await Self.problem(client, harness, visibility: "draft")
            let user = harness.token("user")
            let missing = try await client.send(.post, "/api/v1/submissions", json: [:], token: user.token)
            #expect(missing.fieldErrors == ["problem": "is required", "language": "is required", "source": "is required"])

            let big = String(repeating: "x", count: (64 << 10) + 1)
            let tooBig = try await client.send(.post, "/api/v1/submissions", json: ["problem": slug, "language": "python", "source": big], token: user.token)
            #expect(tooBig.status == .unprocessableContent && tooBig.fieldErrors["source"] == "must be at most 65536 bytes long")
            // Exactly 64 KiB fits although MAX_BODY_BYTES is 64 KiB too.
            let largest = try await client.send(
                .post, "/api/v1/submissions", json: ["problem": slug, "language": "python", "source": String(big.dropLast())], token: user.token
            )
            #expect(largest.status == .accepted)

            for problem in ["no-such-\(slug)", draft] {
                let unknown = try await client.send(.post, "/api/v1/submissions", json: ["problem": problem, "language": "c", "source": "x"], token: user.token)
                #expect(unknown.status == .unprocessableContent && unknown.fieldErrors["problem"] == "no such problem")
            }
            // The service's verdict on the language comes back as a field error.
            let language = try await client.send(.post, "/api/v1/submissions", json: ["problem": slug, "language": "c", "source": "x"], token: user.token)
            #expect(language.status == .unprocessableContent && language.fieldErrors["language"] == "is not allowed for this problem")

            // Staff may submit to drafts; the flag is passed on.
            let staff = harness.token("staff")
            let staffDraft = try await client.send(.post, "/api/v1/submissions", json: ["problem": draft, "language": "c", "source": "x"], token: staff.token)
            #expect(staffDraft.status == .accepted)
            #expect(fakes.submissions.state.withLock { $0.creates.last { $0.userId == staff.id }?.callerIsStaff } == true)
        }
    }

    @Test func submissionsAreRateLimitedPerUser() async throws {
        let harness = try await EdgeHarness(["RATE_LIMIT_SUBMIT_PER_USER": "2"])
        try await harness.run { client in
            let slug = try await Self.problem(client, harness)
            let user = harness.token("user")
            let body: [String: Any] = ["problem": slug, "language": "c", "source": "x"]
            for _ in 0..<2 { #expect(try await client.send(.post, "/api/v1/submissions", json: body, token: user.token).status == .accepted) }
            let limited = try await client.send(.post, "/api/v1/submissions", json: body, token: user.token)
            #expect(limited.status == .tooManyRequests && limited.problemType == "rate-limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another user has their own budget.
            #expect(try await client.send(.post, "/api/v1/submissions", json: body, token: harness.token("user").token).status == .accepted)
        }
    }

    @Test func listFiltersAndPages() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let slug = try await Self.problem(client, harness)
            let other = try await Self.problem(client, harness)
            let (account, access, _) = try await client.signedInUser()
            var ids: [Int] = []
            for (index, language) in ["c", "python", "c", "java"].enumerated() {
                let problem = index == 3 ? other : slug
                let response = try await client.send(.post, "/api/v1/submissions", json: ["problem": problem, "language": language, "source": "s\(index)"], token: access)
                ids.append(try #require(response.json["id"] as? Int))
            }
            fakes.submissions.update(Int64(ids[0])) { $0.status = .done; $0.verdict = .ac; $0.score = 100 }
            fakes.submissions.update(Int64(ids[1])) { $0.status = .done; $0.verdict = .wa }

            func items(_ query: String) async throws -> [[String: Any]] {
                let response = try await client.send(.get, "/api/v1/submissions?\(query)")
                #expect(response.status == .ok, "\(query): \(response.bodyText)")
                return response.json["items"] as? [[String: Any]] ?? []
            }
            let byUser = try await items("user=\(account.username)")
            #expect(byUser.compactMap { $0["id"] as? Int } == ids.reversed())
            #expect(byUser.allSatisfy { $0["source"] == nil && $0["user_id"] as? Int == account.id })
            #expect(try await items("user=\(account.username)&problem=\(slug)").count == 3)
            #expect(try await items("user=\(account.username)&language=c").compactMap { $0["id"] as? Int } == [ids[2], ids[0]])
            #expect(try await items("user=\(account.username)&verdict=AC,WA").compactMap { $0["verdict"] as? String } == ["WA", "AC"])
            #expect(try await items("problem=\(other)").first?["problem"] as? String == other)
            #expect(try await items("user=nobody_\(account.username)").isEmpty)
            #expect(try await items("problem=no-such-\(slug)").isEmpty)

            let first = try await client.send(.get, "/api/v1/submissions?user=\(account.username)&page_size=3")
            #expect((first.json["items"] as? [Any])?.count == 3)
            let token = try #require(first.json["next_page_token"] as? String)
            let second = try await client.send(.get, "/api/v1/submissions?user=\(account.username)&page_size=3&page_token=\(token)")
            #expect((second.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[0]])
            #expect(second.json["next_page_token"] is NSNull)

            let bad = try await client.send(.get, "/api/v1/submissions?verdict=OK&page_size=1000")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.fieldErrors["verdict"]?.hasPrefix("OK: must be one of AC, WA") == true && bad.fieldErrors["page_size"] != nil)
        }
    }

    @Test func onlyStaffRejudge() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            let slug = try await Self.problem(client, harness)
            let user = harness.token("user")
            var ids: [Int] = []
            for _ in 0..<2 {
                let response = try await client.send(.post, "/api/v1/submissions", json: ["problem": slug, "language": "c", "source": "x"], token: user.token)
                ids.append(response.json["id"] as? Int ?? 0)
            }
            let path = "/api/v1/submissions/\(ids[0])/rejudge"
            #expect(try await client.send(.post, path).status == .unauthorized)
            #expect(try await client.send(.post, path, token: user.token).status == .forbidden)
            let one = try await client.send(.post, path, token: harness.token("staff").token)
            #expect(one.status == .accepted && one.json["queued"] as? Int == 1)
            #expect(try await client.send(.post, "/api/v1/submissions/999999999/rejudge", token: harness.token("admin").token).status == .notFound)

            let problemPath = "/api/v1/problems/\(slug)/rejudge"
            #expect(try await client.send(.post, problemPath, token: user.token).status == .forbidden)
            let all = try await client.send(.post, problemPath, token: harness.token("admin").token)
            #expect(all.status == .accepted && all.json["queued"] as? Int == 2)
            let problemID = try #require(fakes.problems.problem(slug: slug)?.id)
            #expect(fakes.submissions.state.withLock { $0.rejudges.contains(.problemId(problemID)) })
            #expect(try await client.send(.post, "/api/v1/problems/no-such-\(slug)/rejudge", token: harness.token("admin").token).status == .notFound)
        }
    }
}
