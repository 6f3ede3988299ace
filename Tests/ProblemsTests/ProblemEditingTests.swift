import AlgoProto
import RPC
import Testing

@testable import Problems

@Suite("Problems: create, get, update")
struct ProblemEditingTests {
    @Test("a created problem comes back whole, with defaults filled and server fields assigned")
    func createAndGet() async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        var template = ProblemsV1.LanguageTemplate()
        template.language = "python"
        template.templateCode = "def solution(a, b):\n    return 0\n"
        template.wrapperCode = "print(solution(*map(int, input().split())))\n"
        problem.templates = [template]
        problem.allowedLanguages = ["python", "cpp"]
        problem.tags = ["Math", "greedy"]
        problem.revision = 99
        problem.testDataVersion = 5
        let created = try await service.create(problem)
        #expect(created.id > 0)
        #expect(created.revision == 1, "assigned by the server")
        #expect(created.testDataVersion == 0, "no test data yet")
        #expect(created.visibility == .draft, "unspecified visibility is a draft")
        #expect(created.checker?.kind == .tokens, "the default checker")
        #expect(created.scoring?.kind == .icpc)
        #expect(created.tags == ["math", "greedy"], "tags are stored lowercased")
        #expect(created.createdAtMs > 0 && created.updatedAtMs >= created.createdAtMs)

        let bySlug = try await service.get(slug: problem.slug)
        #expect(bySlug == created)
        var byID = ProblemsV1.GetProblemRequest()
        byID.key = .id(created.id)
        let fetched = try #require(try await service.client.getProblem(byID).problem)
        #expect(fetched.templates == [template], "GetProblem returns wrappers (the judge needs them)")
        #expect(fetched.samples == problem.samples && fetched.allowedLanguages == ["python", "cpp"])
    }

    @Test("checkers, interactors and IOI groups round-trip")
    func richProblem() async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        var checker = ProblemsV1.Checker()
        checker.kind = .custom
        checker.customSource = "int main() { return 0; }"
        checker.customLanguage = "cpp"
        checker.floatAbsTolerance = 0.5  // not a float checker: cleared
        problem.checker = checker
        problem.interactive = true
        problem.interactorSource = "int main() { return 0; }"
        problem.interactorLanguage = "c"
        problem.scoring = scoring(.ioi, [("a", 30, []), ("b", 70, ["a"])])
        let created = try await service.create(problem)
        #expect(created.checker?.kind == .custom && created.checker?.customSource == checker.customSource)
        #expect(created.checker?.floatAbsTolerance == 0)
        #expect(created.interactive && created.interactorLanguage == "c")
        #expect(created.scoring == problem.scoring)

        var float = ProblemsV1.Checker()
        float.kind = .float
        float.floatAbsTolerance = 1e-6
        float.floatRelTolerance = 1e-9
        float.customSource = "ignored"
        var batch = created
        batch.checker = float
        batch.interactive = false
        let updated = try await service.update(batch, expectedRevision: created.revision)
        #expect(updated.checker?.floatAbsTolerance == 1e-6 && updated.checker?.floatRelTolerance == 1e-9)
        #expect(updated.checker?.customSource == "", "a float checker keeps no program")
        #expect(updated.interactorSource == "", "a batch problem keeps no interactor")
    }

    @Test(
        "invalid fields are refused with a violation naming each one",
        arguments: [
            ("slug", { @Sendable (p: inout ProblemsV1.Problem) in p.slug = "ab" }),
            ("slug", { @Sendable (p: inout ProblemsV1.Problem) in p.slug = "Has-Upper" }),
            ("slug", { @Sendable (p: inout ProblemsV1.Problem) in p.slug = String(repeating: "a", count: 65) }),
            ("title", { @Sendable (p: inout ProblemsV1.Problem) in p.title = "   " }),
            ("difficulty", { @Sendable (p: inout ProblemsV1.Problem) in p.difficulty = .unspecified }),
            ("time_limit_ms", { @Sendable (p: inout ProblemsV1.Problem) in p.timeLimitMs = 99 }),
            ("time_limit_ms", { @Sendable (p: inout ProblemsV1.Problem) in p.timeLimitMs = 15_001 }),
            ("memory_limit_mb", { @Sendable (p: inout ProblemsV1.Problem) in p.memoryLimitMb = 8 }),
            ("memory_limit_mb", { @Sendable (p: inout ProblemsV1.Problem) in p.memoryLimitMb = 2048 }),
            ("allowed_languages[1]", { @Sendable (p: inout ProblemsV1.Problem) in p.allowedLanguages = ["c", "cobol"] }),
            ("tags[0]", { @Sendable (p: inout ProblemsV1.Problem) in p.tags = ["no/slashes"] }),
            ("templates[0].language", { @Sendable (p: inout ProblemsV1.Problem) in
                p.allowedLanguages = ["c"]
                var t = ProblemsV1.LanguageTemplate()
                t.language = "python"
                p.templates = [t]
            }),
            ("checker.float_abs_tolerance", { @Sendable (p: inout ProblemsV1.Problem) in
                var c = ProblemsV1.Checker()
                c.kind = .float
                c.floatAbsTolerance = -1
                p.checker = c
            }),
            ("checker.custom_source", { @Sendable (p: inout ProblemsV1.Problem) in
                var c = ProblemsV1.Checker()
                c.kind = .custom
                c.customLanguage = "cpp"
                p.checker = c
            }),
            ("checker.custom_language", { @Sendable (p: inout ProblemsV1.Problem) in
                var c = ProblemsV1.Checker()
                c.kind = .custom
                c.customSource = "x"
                c.customLanguage = "rust"
                p.checker = c
            }),
            ("interactor_source", { @Sendable (p: inout ProblemsV1.Problem) in
                p.interactive = true
                p.interactorLanguage = "c"
            }),
            ("scoring.groups[1].depends_on", { @Sendable (p: inout ProblemsV1.Problem) in
                p.scoring = scoring(.ioi, [("a", 10, []), ("b", 10, ["missing"])])
            }),
            ("scoring.groups", { @Sendable (p: inout ProblemsV1.Problem) in
                p.scoring = scoring(.ioi, [("a", 10, ["c"]), ("b", 10, ["a"]), ("c", 10, ["b"])])
            }),
            ("scoring.groups[1].name", { @Sendable (p: inout ProblemsV1.Problem) in
                p.scoring = scoring(.ioi, [("a", 10, []), ("a", 10, [])])
            }),
            ("scoring.groups[0].points", { @Sendable (p: inout ProblemsV1.Problem) in
                p.scoring = scoring(.ioi, [("a", -1, [])])
            }),
            ("author_ids", { @Sendable (p: inout ProblemsV1.Problem) in p.authorIds = [3, 3] }),
        ] as [(String, @Sendable (inout ProblemsV1.Problem) -> Void)]
    )
    func invalid(field: String, change: @Sendable (inout ProblemsV1.Problem) -> Void) async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        change(&problem)
        let result = await failure { try await service.create(problem) }
        #expect(result.code == .invalidArgument)
        #expect(result.fields[field] != nil, "violations: \(result.fields)")
    }

    @Test("a missing problem is INVALID_ARGUMENT, not a crash")
    func missingProblem() async throws {
        let service = try await ProblemsFixture.make()
        let result = await failure { _ = try await service.client.createProblem(ProblemsV1.CreateProblemRequest()) }
        #expect(result.code == .invalidArgument && result.fields["problem"] != nil)
        let get = await failure { _ = try await service.client.getProblem(ProblemsV1.GetProblemRequest()) }
        #expect(get.code == .invalidArgument && get.fields["key"] != nil)
    }

    @Test("a taken slug is ALREADY_EXISTS, on create and on a rename")
    func duplicateSlug() async throws {
        let service = try await ProblemsFixture.make()
        let first = try await service.create(ProblemsFixture.problem())
        let result = await failure { try await service.create(ProblemsFixture.problem(slug: first.slug)) }
        #expect(result.code == .alreadyExists && result.fields["slug"] != nil)

        var second = try await service.create(ProblemsFixture.problem())
        second.slug = first.slug
        let rename = await failure { _ = try await service.update(second, expectedRevision: second.revision) }
        #expect(rename.code == .alreadyExists)
    }

    @Test("an update applies once per revision: a stale save fails its precondition")
    func revisionConflict() async throws {
        let service = try await ProblemsFixture.make()
        let created = try await service.create(ProblemsFixture.problem())
        var edit = created
        edit.title = "Renamed"
        edit.visibility = .public
        let saved = try await service.update(edit, expectedRevision: created.revision)
        #expect(saved.revision == created.revision + 1 && saved.title == "Renamed" && saved.visibility == .public)
        #expect(saved.createdAtMs == created.createdAtMs)

        var stale = created
        stale.title = "Other editor"
        let conflict = await failure { _ = try await service.update(stale, expectedRevision: created.revision) }
        #expect(conflict.code == .failedPrecondition)
        #expect(try await service.get(slug: created.slug).title == "Renamed", "the stale save changed nothing")

        var missing = created
        missing.id = Int64(Int32.max) * 1000
        #expect(await failure { _ = try await service.update(missing, expectedRevision: 1) }.code == .notFound)
        #expect(await failure { _ = try await service.update(saved, expectedRevision: 0) }.code == .invalidArgument)
    }

    @Test("unknown problems are NOT_FOUND")
    func notFound() async throws {
        let service = try await ProblemsFixture.make()
        #expect(await failure { _ = try await service.get(slug: "no-such-problem-anywhere") }.code == .notFound)
    }
}

func scoring(_ kind: ProblemsV1.ScoringKind, _ groups: [(String, Int32, [String])]) -> ProblemsV1.Scoring {
    var scoring = ProblemsV1.Scoring()
    scoring.kind = kind
    scoring.groups = groups.map { name, points, dependsOn in
        var group = ProblemsV1.TestGroup()
        group.name = name
        group.points = points
        group.dependsOn = dependsOn
        return group
    }
    return scoring
}
