import AlgoProto
import Hummingbird

/// `GET /api/v1/languages`: what submissions may be written in (Problems owns the list).
struct LanguagesController: Sendable {
    let problems: ProblemsV1.ProblemsClient
    let upstream: UpstreamOptions

    func addRoutes(to router: some RouterMethods<EdgeRequestContext>) {
        router.on(.listLanguages, use: self.list)
    }

    @Sendable func list(_ request: Request, context: EdgeRequestContext) async throws -> Response {
        let response = try await self.problems.listLanguages(.init(), options: self.upstream.callOptions(context))
        return .json(LanguagesResource(languages: response.languages))
    }
}

struct LanguagesResource: JSONResponseBody {
    var languages: [ProblemsV1.ProgrammingLanguage]

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("items", self.languages.map(Item.init))
        json.endObject()
    }

    private struct Item: JSONResponseBody {
        var language: ProblemsV1.ProgrammingLanguage

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.field("id", self.language.id)
            json.field("name", self.language.name)
            json.field("version", self.language.version)
            json.field("default_template", self.language.defaultTemplate)
            json.endObject()
        }
    }
}
