import AlgoProto
import RPC
import Testing

@testable import Problems

@Suite("Problems: listing, filters and pages")
struct ListProblemsTests {
    func list(_ service: ProblemsFixture, _ change: (inout ProblemsV1.ListProblemsRequest) -> Void) async throws -> ProblemsV1.ListProblemsResponse {
        var request = ProblemsV1.ListProblemsRequest()
        change(&request)
        return try await service.client.listProblems(request)
    }

    @Test("filters: tags (all of), difficulties (any of), visibility, query, author, and the author's drafts")
    func filters() async throws {
        let service = try await ProblemsFixture.make()
        let author = ProblemsFixture.uniqueAuthor(), other = ProblemsFixture.uniqueAuthor()
        let marker = "zz" + ProblemsFixture.uniqueSlug("t").suffix(8)
        func make(_ title: String, tags: [String], _ difficulty: ProblemsV1.Difficulty, _ visibility: ProblemsV1.Visibility, authors: [Int64]) async throws -> ProblemsV1.Problem {
            var problem = ProblemsFixture.problem(authors: authors)
            problem.title = title
            problem.tags = tags + [marker]
            problem.difficulty = difficulty
            problem.visibility = visibility
            return try await service.create(problem)
        }
        let easyPublic = try await make("Two Pointers Warmup", tags: ["greedy", "sorting"], .easy, .public, authors: [author])
        let hardPublic = try await make("Segment Trees", tags: ["greedy"], .hard, .public, authors: [other])
        let authorDraft = try await make("Secret Draft", tags: ["sorting"], .medium, .draft, authors: [author])
        let otherDraft = try await make("Other Draft", tags: [], .easy, .draft, authors: [other])

        func ids(_ change: (inout ProblemsV1.ListProblemsRequest) -> Void) async throws -> [Int64] {
            try await list(service) { request in
                request.tags = [marker]
                change(&request)
            }.problems.map(\.id)
        }
        #expect(try await ids { _ in } == [easyPublic.id, hardPublic.id, authorDraft.id, otherDraft.id], "id order")
        #expect(try await ids { $0.tags = [marker, "greedy", "sorting"] } == [easyPublic.id], "all of the tags")
        #expect(try await ids { $0.tags = [marker, "GREEDY"] } == [easyPublic.id, hardPublic.id], "tags ignore case")
        #expect(try await ids { $0.difficulties = [.hard, .medium] } == [hardPublic.id, authorDraft.id], "any of the difficulties")
        #expect(try await ids { $0.visibility = .public } == [easyPublic.id, hardPublic.id])
        #expect(try await ids { $0.visibility = .draft } == [authorDraft.id, otherDraft.id])
        #expect(
            try await ids { $0.visibility = .public; $0.includeDraftsOf = author } == [easyPublic.id, hardPublic.id, authorDraft.id],
            "public problems and the drafts this author wrote, not others' drafts"
        )
        #expect(try await ids { $0.query = "pointers" } == [easyPublic.id], "case-insensitive title substring")
        #expect(try await ids { $0.query = String(easyPublic.slug.dropFirst(2)) } == [easyPublic.id], "slug substring")
        #expect(try await ids { $0.query = "%" }.isEmpty, "LIKE wildcards are plain characters")
        #expect(try await ids { $0.authorId = author } == [easyPublic.id, authorDraft.id])

        let summary = try #require(try await list(service) { $0.tags = [marker]; $0.authorId = other; $0.visibility = .public }.problems.first)
        #expect(summary.slug == hardPublic.slug && summary.title == "Segment Trees" && summary.difficulty == .hard && summary.visibility == .public)
        #expect(summary.tags == ["greedy", marker])
    }

    @Test("pages follow each other without repeats or gaps, in a stable order")
    func pagination() async throws {
        let service = try await ProblemsFixture.make()
        let author = ProblemsFixture.uniqueAuthor()
        var created: [Int64] = []
        for _ in 0..<7 {
            created.append(try await service.create(ProblemsFixture.problem(authors: [author])).id)
        }
        var seen: [Int64] = []
        var token = ""
        var pages = 0
        repeat {
            let response = try await list(service) { request in
                request.authorId = author
                var page = CommonV1.PageRequest()
                page.pageSize = 3
                page.pageToken = token
                request.page = page
            }
            #expect(response.problems.count <= 3)
            seen += response.problems.map(\.id)
            token = response.page?.nextPageToken ?? ""
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(seen == created)
        #expect(pages == 3)

        let everything = try await list(service) { $0.authorId = author }
        #expect(everything.problems.map(\.id) == created && everything.page?.nextPageToken == "", "the default page holds them all")
    }

    @Test("page sizes are clamped to the maximum; a forged token is INVALID_ARGUMENT")
    func pageLimits() async throws {
        let service = try await ProblemsFixture.make()
        let huge = try await list(service) { request in
            var page = CommonV1.PageRequest()
            page.pageSize = 100_000
            request.page = page
        }
        #expect(huge.problems.count <= PageToken.maximumPageSize)
        for token in ["garbage!", "cDE6eA", PageToken.encode(lastID: 5) + "x"] {
            let result = await failure {
                _ = try await list(service) { request in
                    var page = CommonV1.PageRequest()
                    page.pageToken = token
                    request.page = page
                }
            }
            #expect(result.code == .invalidArgument && result.fields["page.page_token"] != nil, "token \(token)")
        }
        #expect(PageToken.decode(PageToken.encode(lastID: 42)) == 42)
        let badDifficulty = await failure { _ = try await list(service) { $0.difficulties = [ProblemsV1.Difficulty(rawValue: 9)] } }
        #expect(badDifficulty.code == .invalidArgument)
    }
}
