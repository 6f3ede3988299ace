import AlgoProto
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("ListSubmissions")
    struct ListSubmissionsTests {
        @Test("by user and by problem, newest first, with filters and cursor pages")
        func listsWithFiltersAndPages() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                var created: [SubmissionsV1.Submission] = []
                for language in ["c", "cpp", "python", "c", "java"] {
                    created.append(try await fixture.create(user: user, language: language))
                }
                let other = try await fixture.create(user: user + 1, language: "c")
                // Judge them: AC, WA, AC, pending, pending.
                for job in try await fixture.takeJobs() {
                    if job.submissionId == created[0].id || job.submissionId == created[2].id { _ = try await fixture.complete(job, .ac, score: 100) }
                    if job.submissionId == created[1].id { _ = try await fixture.complete(job, .wa) }
                }

                // All of the user's, two per page.
                var seen: [Int64] = []
                var token = ""
                var pages = 0
                repeat {
                    let page = try await list(fixture) {
                        $0.userId = user
                        $0.page = .with { $0.pageSize = 2; $0.pageToken = token }
                    }
                    #expect(page.submissions.count <= 2)
                    #expect(page.submissions.allSatisfy { $0.userId == user })
                    seen += page.submissions.map(\.id)
                    token = page.page?.nextPageToken ?? ""
                    pages += 1
                } while !token.isEmpty && pages < 10
                #expect(seen == Array(created.map(\.id).reversed()))
                #expect(pages == 3)

                let accepted = try await list(fixture) { $0.userId = user; $0.verdicts = [.ac] }
                #expect(accepted.submissions.map(\.id) == [created[2].id, created[0].id])
                #expect(accepted.submissions.allSatisfy { $0.verdict == .ac && $0.status == .done && $0.score == 100 })

                let acOrWa = try await list(fixture) { $0.userId = user; $0.verdicts = [.ac, .wa] }
                #expect(acOrWa.submissions.count == 3)

                let pending = try await list(fixture) { $0.userId = user; $0.verdicts = [.unspecified] }
                #expect(pending.submissions.map(\.id) == [created[4].id, created[3].id])

                let cOnly = try await list(fixture) { $0.userId = user; $0.languages = ["c"] }
                #expect(cOnly.submissions.map(\.id) == [created[3].id, created[0].id])

                let byProblem = try await list(fixture) { $0.problemId = fixture.catalog.aPlusB }
                #expect(byProblem.submissions.map(\.id) == ([other] + created.reversed()).map(\.id))
                #expect(byProblem.submissions.allSatisfy { $0.problemSlug == "a-plus-b-\(fixture.catalog.base)" })
                #expect(byProblem.page?.nextPageToken == "")

                let both = try await list(fixture) { $0.problemId = fixture.catalog.aPlusB; $0.userId = user + 1 }
                #expect(both.submissions.map(\.id) == [other.id])
            }
        }

        @Test("page sizes are clamped; bad tokens and filters are INVALID_ARGUMENT")
        func listValidation() async throws {
            try await SubmissionsFixture.with { fixture in
                let user = SubmissionsFixture.uniqueUser()
                for _ in 0..<3 { try await fixture.create(user: user) }
                let huge = try await list(fixture) { $0.userId = user; $0.page = .with { $0.pageSize = 100_000 } }
                #expect(huge.submissions.count == 3)

                var error = await rpcError { _ = try await list(fixture) { $0.page = .with { $0.pageToken = "garbage!" } } }
                #expect(violations(error)["page.page_token"] != nil)
                error = await rpcError { _ = try await list(fixture) { $0.page = .with { $0.pageSize = -1 } } }
                #expect(violations(error)["page.page_size"] != nil)
                error = await rpcError { _ = try await list(fixture) { $0.verdicts = [SubmissionsV1.Verdict(rawValue: 42)] } }
                #expect(violations(error)["verdicts"] != nil)
                error = await rpcError { _ = try await list(fixture) { $0.languages = ["cobol"] } }
                #expect(violations(error)["languages"] != nil)
                error = await rpcError { _ = try await list(fixture) { $0.userId = -5 } }
                #expect(violations(error)["user_id"] != nil)
            }
        }
    }
}

private func list(
    _ fixture: SubmissionsFixture, _ change: (inout SubmissionsV1.ListSubmissionsRequest) -> Void
) async throws -> SubmissionsV1.ListSubmissionsResponse {
    var request = SubmissionsV1.ListSubmissionsRequest()
    change(&request)
    return try await fixture.client.listSubmissions(request)
}
