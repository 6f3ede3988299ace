import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// /api/v1/problems and /api/v1/languages against the in-memory Problems over real RPC.
@Suite struct ProblemRouteTests {
    static func uniqueSlug(_ prefix: String = "p") -> String {
        "\(prefix)-\(EdgeHarness.uniqueName("").dropFirst().lowercased())"
    }

    /// A problem with every secret set, created through the API by `token`.
    static func secretProblem(slug: String, visibility: String = "public") -> [String: Any] {
        [
            "slug": slug, "title": "Secret \(slug)", "statement": "Add two numbers.", "visibility": visibility,
            "tags": ["math", "intro"], "difficulty": "easy", "time_limit_ms": 2000,
            "samples": [["input": "1 2\n", "output": "3\n", "explanation": "1+2"]],
            "templates": [["language": "python", "template": "def solution(a, b):\n", "wrapper": "print(solution(*map(int, input().split())))"]],
            "checker": ["type": "custom", "source": "int main() { /* checker */ }", "language": "cpp"],
            "interactive": true, "interactor": ["source": "int main() { /* interactor */ }", "language": "c"],
            "scoring": ["type": "ioi", "groups": [["name": "small", "points": 40, "depends_on": []], ["name": "big", "points": 60, "depends_on": ["small"]]]],
        ]
    }

    @Test func languagesAreListed() async throws {
        try await EdgeHarness().run { client in
            let response = try await client.send(.get, "/api/v1/languages")
            #expect(response.status == .ok)
            let items = response.json["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == ["c", "python"])
            #expect(items.first?["version"] as? String == "GCC 12.2")
        }
    }

    @Test func onlyStaffCreateAndTheCreatorBecomesAnAuthor() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = Self.uniqueSlug()
            let body = Self.secretProblem(slug: slug)
            #expect(try await client.send(.post, "/api/v1/problems", json: body).status == .unauthorized)
            let user = try await client.send(.post, "/api/v1/problems", json: body, token: harness.token("user").token)
            #expect(user.status == .forbidden && user.problemType == "forbidden")

            let staff = harness.token("staff")
            let created = try await client.send(.post, "/api/v1/problems", json: body, token: staff.token)
            #expect(created.status == .created, "\(created.bodyText)")
            #expect(created.headers[.location] == "/api/v1/problems/\(slug)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(created.json["author_ids"] as? [Int] == [Int(staff.id)])
            #expect(created.json["difficulty"] as? String == "easy")
            #expect((created.json["scoring"] as? [String: Any])?["type"] as? String == "ioi")
            let stored = try #require(harness.services.fakes.problems.problem(slug: slug))
            #expect(stored.checker?.kind == .custom && stored.interactorSource.contains("interactor"))
            #expect(stored.templates.first?.wrapperCode.contains("solution") == true)
            #expect(stored.scoring?.groups.last?.dependsOn == ["small"])

            // Admins are staff too; the slug is now taken.
            let again = try await client.send(.post, "/api/v1/problems", json: body, token: harness.token("admin").token)
            #expect(again.status == .conflict && again.fieldErrors["slug"] == "is taken")
        }
    }

    @Test func createChecksItsFields() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let token = harness.token("staff").token
            let missing = try await client.send(.post, "/api/v1/problems", json: ["statement": "x"], token: token)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors == ["slug": "is required", "title": "is required"])

            let enums = try await client.send(
                .post, "/api/v1/problems",
                json: ["slug": Self.uniqueSlug(), "title": "T", "difficulty": "brutal", "visibility": "secret",
                       "checker": ["type": "magic"], "scoring": ["type": "cf"], "templates": [["template": "x"]]],
                token: token
            )
            #expect(enums.status == .unprocessableContent)
            #expect(enums.fieldErrors["difficulty"] == "must be one of easy, medium, hard")
            #expect(enums.fieldErrors["visibility"] == "must be one of draft, public")
            #expect(enums.fieldErrors["checker.type"] == "must be one of exact, tokens, float, custom")
            #expect(enums.fieldErrors["scoring.type"] == "must be one of icpc, ioi")
            #expect(enums.fieldErrors["templates[0].language"] == "is required")

            let types = try await client.send(.post, "/api/v1/problems", json: ["slug": "abc", "title": "T", "time_limit_ms": "fast"], token: token)
            #expect(types.status == .unprocessableContent && types.fieldErrors["time_limit_ms"] == "must be a number")

            // The service's own field violations come back in `errors` as well.
            let service = try await client.send(.post, "/api/v1/problems", json: ["slug": "Bad Slug!", "title": "T"], token: token)
            #expect(service.status == .unprocessableContent)
            #expect(service.fieldErrors["slug"] == "must be 3-64 characters of a-z, 0-9 and -")
            let limits = try await client.send(.post, "/api/v1/problems", json: ["slug": Self.uniqueSlug(), "title": "T", "time_limit_ms": 5], token: token)
            #expect(limits.fieldErrors["time_limit_ms"] == "must be from 100 to 15000")
        }
    }

    @Test func secretsAreShownToStaffAndAuthorsOnly() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = Self.uniqueSlug()
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: Self.secretProblem(slug: slug), token: author.token).status == .created)

            for token in [nil, harness.token("user").token] {
                let response = try await client.send(.get, "/api/v1/problems/\(slug)", token: token)
                #expect(response.status == .ok)
                #expect(!response.bodyText.contains("checker */") && !response.bodyText.contains("interactor */"))
                #expect(!response.bodyText.contains("print(solution"))
                let template = (response.json["templates"] as? [[String: Any]])?.first
                #expect(template?["template"] as? String == "def solution(a, b):\n")
                #expect(template?["wrapper"] == nil)
                #expect((response.json["checker"] as? [String: Any])?["source"] == nil)
                #expect((response.json["checker"] as? [String: Any])?["type"] as? String == "custom")
                #expect((response.json["interactor"] as? [String: Any])?["source"] == nil)
                #expect(response.json["statement"] as? String == "Add two numbers.")
            }
            for token in [author.token, harness.token("admin").token] {
                let response = try await client.send(.get, "/api/v1/problems/\(slug)", token: token)
                #expect((response.json["checker"] as? [String: Any])?["source"] as? String == "int main() { /* checker */ }")
                #expect((response.json["interactor"] as? [String: Any])?["source"] as? String == "int main() { /* interactor */ }")
                #expect(((response.json["templates"] as? [[String: Any]])?.first?["wrapper"] as? String)?.contains("solution") == true)
            }
        }
    }

    @Test func draftsExistOnlyForTheirAuthorsAndStaff() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = Self.uniqueSlug("draft")
            let author = harness.token("staff")
            let created = try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Draft"], token: author.token)
            #expect(created.json["visibility"] as? String == "draft")

            for token in [nil, harness.token("user").token] {
                let hidden = try await client.send(.get, "/api/v1/problems/\(slug)", token: token)
                #expect(hidden.status == .notFound && hidden.problemType == "not-found")
            }
            #expect(try await client.send(.get, "/api/v1/problems/\(slug)", token: author.token).status == .ok)
            #expect(try await client.send(.get, "/api/v1/problems/\(slug)", token: harness.token("staff").token).status == .ok)
            #expect(try await client.send(.get, "/api/v1/problems/no-such-problem-\(slug)").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/problems/\(String(repeating: "x", count: 65))").status == .notFound)
        }
    }

    @Test func listAsksForWhatTheCallerMaySee() async throws {
        let harness = try await EdgeHarness()
        let fakes = harness.services.fakes
        try await harness.run { client in
            #expect(try await client.send(.get, "/api/v1/problems").status == .ok)
            #expect(fakes.problems.state.withLock { $0.lastList?.visibility } == .public)
            #expect(fakes.problems.state.withLock { $0.lastList?.includeDraftsOf } == 0)

            let user = harness.token("user")
            #expect(try await client.send(.get, "/api/v1/problems", token: user.token).status == .ok)
            #expect(fakes.problems.state.withLock { $0.lastList?.visibility } == .public)
            #expect(fakes.problems.state.withLock { $0.lastList?.includeDraftsOf } == user.id)

            #expect(try await client.send(.get, "/api/v1/problems?difficulty=easy,hard&tag=a&tag=b,c&q=sum", token: harness.token("admin").token).status == .ok)
            let request = try #require(fakes.problems.state.withLock { $0.lastList })
            #expect(request.visibility == .unspecified && request.includeDraftsOf == 0)
            #expect(request.difficulties == [.easy, .hard] && request.tags == ["a", "b", "c"] && request.query == "sum")
        }
    }

    @Test func listFiltersAndPages() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            // The author is a real account: `author` is a username that Users resolves.
            let (account, access, _) = try await client.signedInUser()
            let author = harness.token("staff", id: Int64(account.id), username: account.username)
            let tag = "t\(EdgeHarness.uniqueName("").dropFirst())".lowercased()
            var slugs: [String] = []
            for index in 0..<5 {
                let slug = Self.uniqueSlug("list\(index)")
                slugs.append(slug)
                let body: [String: Any] = ["slug": slug, "title": "List \(index)", "tags": [tag], "visibility": index == 4 ? "draft" : "public"]
                #expect(try await client.send(.post, "/api/v1/problems", json: body, token: author.token).status == .created)
            }
            // Anonymous: the four public ones, two per page.
            var seen: [String] = []
            var token: String?
            repeat {
                let query = "/api/v1/problems?tag=\(tag)&page_size=2" + (token.map { "&page_token=\($0)" } ?? "")
                let page = try await client.send(.get, query)
                #expect(page.status == .ok)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["slug"] as? String }
                token = page.json["next_page_token"] as? String
                #expect(page.json.keys.contains("next_page_token"))
            } while token != nil && seen.count < 10
            #expect(seen == Array(slugs.prefix(4)))

            // The author (a plain user now) sees their draft too; by username.
            let mine = try await client.send(.get, "/api/v1/problems?tag=\(tag)&author=\(account.username)", token: access)
            #expect((mine.json["items"] as? [[String: Any]])?.count == 5)
            let summary = (mine.json["items"] as? [[String: Any]])?.last
            #expect(summary?["visibility"] as? String == "draft" && summary?["statement"] == nil)
            let nobody = try await client.send(.get, "/api/v1/problems?author=no_such_user_\(tag)")
            #expect(nobody.status == .ok && (nobody.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func listRejectsBadParameters() async throws {
        try await EdgeHarness().run { client in
            let response = try await client.send(.get, "/api/v1/problems?page_size=0&difficulty=easy,insane&page_token=\(String(repeating: "a", count: 600))")
            #expect(response.status == .unprocessableContent)
            #expect(response.fieldErrors["page_size"] == "must be an integer from 1 to 100")
            #expect(response.fieldErrors["difficulty"] == "insane: must be one of easy, medium, hard")
            #expect(response.fieldErrors["page_token"] != nil)
            #expect(try await client.send(.get, "/api/v1/problems?page_size=101").status == .unprocessableContent)
            #expect(try await client.send(.get, "/api/v1/problems?page_size=abc").status == .unprocessableContent)
        }
    }
}
