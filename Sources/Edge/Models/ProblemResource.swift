import AlgoProto

/// A problem as the API shows it. Wrappers, a custom checker's source and an interactor's source
/// are secret (contestants could otherwise read the hidden harness or the judge's logic): only
/// staff and the problem's authors see them. Templates are public.
struct ProblemResource: JSONResponseBody {
    var problem: ProblemsV1.Problem
    /// Staff or an author: the secrets are included.
    var privileged: Bool

    init(_ problem: ProblemsV1.Problem, viewer: Caller?) {
        self.problem = problem
        self.privileged = viewer.map { $0.isStaff || problem.authorIds.contains($0.id) } ?? false
    }

    func write(to json: inout JSONWriter) {
        let problem = self.problem
        json.beginObject()
        json.field("id", problem.id)
        json.field("slug", problem.slug)
        json.field("title", problem.title)
        json.field("statement", problem.statementMarkdown)
        json.field("input_format", problem.inputFormat)
        json.field("output_format", problem.outputFormat)
        json.field("samples", problem.samples.map(SampleJSON.init))
        json.field("tags", problem.tags)
        Self.optionalName("difficulty", Names.difficulty.name(of: problem.difficulty), &json)
        json.field("time_limit_ms", problem.timeLimitMs)
        json.field("memory_limit_mb", problem.memoryLimitMb)
        json.field("allowed_languages", problem.allowedLanguages)
        json.field("templates", problem.templates.map { TemplateJSON(template: $0, withWrapper: self.privileged) })
        Self.optionalName("visibility", Names.visibility.name(of: problem.visibility), &json)
        json.key("author_ids")
        json.beginArray()
        for id in problem.authorIds {
            json.element()
            json.integer(id)
        }
        json.endArray()
        json.field("checker", CheckerJSON(checker: problem.checker ?? .init(), withSource: self.privileged))
        json.field("interactive", problem.interactive)
        if problem.interactive {
            json.key("interactor")
            json.beginObject()
            json.field("language", problem.interactorLanguage)
            if self.privileged { json.field("source", problem.interactorSource) }
            json.endObject()
        } else {
            json.null("interactor")
        }
        json.field("scoring", ScoringJSON(scoring: problem.scoring ?? .init()))
        json.field("revision", problem.revision)
        json.field("test_data_version", problem.testDataVersion)
        json.field("created_at", RFC3339.format(milliseconds: problem.createdAtMs))
        json.field("updated_at", RFC3339.format(milliseconds: problem.updatedAtMs))
        json.endObject()
    }

    static func optionalName(_ key: StaticString, _ name: String?, _ json: inout JSONWriter) {
        if let name { json.field(key, name) } else { json.null(key) }
    }
}

private struct SampleJSON: JSONResponseBody {
    var sample: ProblemsV1.Sample

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("input", self.sample.input)
        json.field("output", self.sample.output)
        json.field("explanation", self.sample.explanation)
        json.endObject()
    }
}

private struct TemplateJSON: JSONResponseBody {
    var template: ProblemsV1.LanguageTemplate
    var withWrapper: Bool

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("language", self.template.language)
        json.field("template", self.template.templateCode)
        if self.withWrapper { json.field("wrapper", self.template.wrapperCode) }
        json.endObject()
    }
}

private struct CheckerJSON: JSONResponseBody {
    var checker: ProblemsV1.Checker
    var withSource: Bool

    func write(to json: inout JSONWriter) {
        json.beginObject()
        ProblemResource.optionalName("type", Names.checker.name(of: self.checker.kind), &json)
        if self.checker.kind == .float {
            json.field("abs_tolerance", self.checker.floatAbsTolerance)
            json.field("rel_tolerance", self.checker.floatRelTolerance)
        }
        if self.checker.kind == .custom {
            json.field("language", self.checker.customLanguage)
            if self.withSource { json.field("source", self.checker.customSource) }
        }
        json.endObject()
    }
}

private struct ScoringJSON: JSONResponseBody {
    var scoring: ProblemsV1.Scoring

    func write(to json: inout JSONWriter) {
        json.beginObject()
        ProblemResource.optionalName("type", Names.scoring.name(of: self.scoring.kind), &json)
        json.field("groups", self.scoring.groups.map(GroupJSON.init))
        json.endObject()
    }
}

private struct GroupJSON: JSONResponseBody {
    var group: ProblemsV1.TestGroup

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("name", self.group.name)
        json.field("points", self.group.points)
        json.field("depends_on", self.group.dependsOn)
        json.endObject()
    }
}

/// A problem in a list: no statement, no secrets.
struct ProblemSummaryResource: JSONResponseBody {
    var summary: ProblemsV1.ProblemSummary

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", self.summary.id)
        json.field("slug", self.summary.slug)
        json.field("title", self.summary.title)
        json.field("tags", self.summary.tags)
        ProblemResource.optionalName("difficulty", Names.difficulty.name(of: self.summary.difficulty), &json)
        ProblemResource.optionalName("visibility", Names.visibility.name(of: self.summary.visibility), &json)
        json.endObject()
    }
}

/// One page of a list: `{items, next_page_token}` (null on the last page).
struct PageResource<Item: JSONResponseBody>: JSONResponseBody {
    var items: [Item]
    var nextPageToken: String

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("items", self.items)
        if self.nextPageToken.isEmpty { json.null("next_page_token") } else { json.field("next_page_token", self.nextPageToken) }
        json.endObject()
    }
}
