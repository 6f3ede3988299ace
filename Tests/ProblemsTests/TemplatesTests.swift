import AlgoProto
import RPC
import Testing

@testable import Problems

@Suite("Problems: languages and templates")
struct TemplatesTests {
    @Test("ListLanguages: the five judge languages with a default template each")
    func languages() async throws {
        let service = try await ProblemsFixture.make()
        let languages = try await service.client.listLanguages(ProblemsV1.ListLanguagesRequest()).languages
        #expect(languages.map(\.id) == ["c", "cpp", "python", "javascript", "java"])
        #expect(languages.allSatisfy { !$0.name.isEmpty && !$0.version.isEmpty && !$0.defaultTemplate.isEmpty })
    }

    @Test("GetTemplates: wrappers only with include_wrapper; defaults for languages without a template")
    func templates() async throws {
        let service = try await ProblemsFixture.make()
        var problem = ProblemsFixture.problem()
        problem.allowedLanguages = ["cpp", "python"]
        var template = ProblemsV1.LanguageTemplate()
        template.language = "python"
        template.templateCode = "def solution(a, b):\n    return 0\n"
        template.wrapperCode = "print(solution(1, 2))\n"
        problem.templates = [template]
        let created = try await service.create(problem)

        var request = ProblemsV1.GetTemplatesRequest()
        request.problemId = created.id
        let shown = try await service.client.getTemplates(request).templates
        #expect(shown.map(\.language) == ["cpp", "python"], "every allowed language")
        #expect(shown.allSatisfy { $0.wrapperCode.isEmpty }, "wrappers stay hidden")
        #expect(shown[1].templateCode == template.templateCode)
        #expect(shown[0].templateCode == Languages.all[1].defaultTemplate, "cpp falls back to the default")

        request.language = "python"
        request.includeWrapper = true
        #expect(try await service.client.getTemplates(request).templates == [template], "the judge gets the wrapper")

        request.language = "java"
        #expect(await failure { _ = try await service.client.getTemplates(request) }.code == .notFound, "not allowed here")
        request.language = "cobol"
        let unknown = await failure { _ = try await service.client.getTemplates(request) }
        #expect(unknown.code == .invalidArgument && unknown.fields["language"] != nil)
        request.language = ""
        request.problemId = Int64(Int32.max) * 1000
        #expect(await failure { _ = try await service.client.getTemplates(request) }.code == .notFound)
    }
}
