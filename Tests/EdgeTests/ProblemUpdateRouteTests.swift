import AlgoProto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// PATCH /api/v1/problems/{slug}: who may edit, merging, and revisions (If-Match).
@Suite struct ProblemUpdateRouteTests {
    @Test func authorsAndStaffEditOthersCannot() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("edit")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Draft"], token: author.token).status == .created)
            let path = "/api/v1/problems/\(slug)"

            #expect(try await client.send(.patch, path, json: ["title": "x"]).status == .unauthorized)
            // A stranger cannot even see the draft.
            let stranger = harness.token("user")
            #expect(try await client.send(.patch, path, json: ["title": "x"], token: stranger.token).status == .notFound)

            let published = try await client.send(.patch, path, json: ["visibility": "public"], token: author.token)
            #expect(published.status == .ok, "\(published.bodyText)")
            #expect(published.json["visibility"] as? String == "public")
            #expect(published.headers[.eTag] == "\"2\"")
            // Public now: strangers see it but may not change it.
            let forbidden = try await client.send(.patch, path, json: ["title": "x"], token: stranger.token)
            #expect(forbidden.status == .forbidden && forbidden.problemType == "forbidden")
            // Other staff may.
            let other = try await client.send(.patch, path, json: ["title": "Renamed"], token: harness.token("admin").token)
            #expect(other.status == .ok && other.json["title"] as? String == "Renamed")
            #expect(try await client.send(.patch, "/api/v1/problems/nope-\(slug)", json: ["title": "x"], token: author.token).status == .notFound)
        }
    }

    @Test func patchMergesOntoTheStoredProblem() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("merge")
            let author = harness.token("staff")
            let body = ProblemRouteTests.secretProblem(slug: slug)
            #expect(try await client.send(.post, "/api/v1/problems", json: body, token: author.token).status == .created)

            let response = try await client.send(
                .patch, "/api/v1/problems/\(slug)",
                json: ["checker": ["type": "float", "abs_tolerance": 0.001], "tags": ["geometry"], "time_limit_ms": 3000],
                token: author.token
            )
            #expect(response.status == .ok)
            let stored = try #require(harness.services.fakes.problems.problem(slug: slug))
            #expect(stored.tags == ["geometry"] && stored.timeLimitMs == 3000)
            #expect(stored.checker?.kind == .float && stored.checker?.floatAbsTolerance == 0.001)
            // Untouched: the custom checker's language stays, and so do everything else and the secrets.
            #expect(stored.checker?.customLanguage == "cpp")
            #expect(stored.title == "Secret \(slug)" && stored.statementMarkdown == "Add two numbers.")
            #expect(stored.interactorSource.contains("interactor") && stored.templates.first?.wrapperCode.isEmpty == false)
            #expect(stored.scoring?.groups.count == 2 && stored.authorIds == [author.id])
            #expect((response.json["checker"] as? [String: Any])?["abs_tolerance"] as? Double == 0.001)

            let invalid = try await client.send(.patch, "/api/v1/problems/\(slug)", json: ["difficulty": "extreme"], token: author.token)
            #expect(invalid.status == .unprocessableContent && invalid.fieldErrors["difficulty"] != nil)
            let notJSON = try await client.send(.patch, "/api/v1/problems/\(slug)", raw: "{", token: author.token)
            #expect(notJSON.status == .badRequest && notJSON.problemType == "malformed-json")
        }
    }

    @Test func staleRevisionsAreRefused() async throws {
        let harness = try await EdgeHarness()
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("rev")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Rev"], token: author.token).status == .created)
            let path = "/api/v1/problems/\(slug)"

            let fresh = try await client.send(.patch, path, json: ["title": "One"], token: author.token, headers: [.ifMatch: "\"1\""])
            #expect(fresh.status == .ok && fresh.headers[.eTag] == "\"2\"")
            // Revision 1 again: someone (this editor) saved since.
            let stale = try await client.send(.patch, path, json: ["title": "Two"], token: author.token, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed && stale.problemType == "precondition-failed")
            let staleBody = try await client.send(.patch, path, json: ["title": "Two", "revision": 1], token: author.token)
            #expect(staleBody.status == .preconditionFailed)
            #expect(try await client.send(.patch, path, json: ["title": "Two"], token: author.token, headers: [.ifMatch: "W/\"2\""]).status == .ok)
            #expect(try await client.send(.patch, path, json: ["title": "Three"], token: author.token, headers: [.ifMatch: "*"]).status == .ok)
            #expect(try await client.send(.patch, path, json: ["title": "x"], token: author.token, headers: [.ifMatch: "\"garbage\""]).status == .preconditionFailed)
            let mismatch = try await client.send(.patch, path, json: ["title": "x", "revision": 3], token: author.token, headers: [.ifMatch: "\"4\""])
            #expect(mismatch.status == .unprocessableContent && mismatch.fieldErrors["revision"] != nil)
            #expect(harness.services.fakes.problems.problem(slug: slug)?.title == "Three")
        }
    }

    /// The service refuses the save (FAILED_PRECONDITION) because another save landed between
    /// Edge's read and its write: 412 when the client named a revision, 409 otherwise.
    @Test func lostRacesAreConflicts() async throws {
        let harness = try await EdgeHarness()
        let problems = harness.services.fakes.problems
        try await harness.run { client in
            let slug = ProblemRouteTests.uniqueSlug("race")
            let author = harness.token("staff")
            #expect(try await client.send(.post, "/api/v1/problems", json: ["slug": slug, "title": "Race"], token: author.token).status == .created)
            let path = "/api/v1/problems/\(slug)"

            problems.state.withLock { _ = $0.raceOnNextUpdate.insert(slug) }
            let plain = try await client.send(.patch, path, json: ["title": "Mine"], token: author.token)
            #expect(plain.status == .conflict && plain.problemType == "conflict")

            let current = try #require(problems.problem(slug: slug)?.revision)
            problems.state.withLock { _ = $0.raceOnNextUpdate.insert(slug) }
            let named = try await client.send(.patch, path, json: ["title": "Mine"], token: author.token, headers: [.ifMatch: "\"\(current)\""])
            #expect(named.status == .preconditionFailed)
            #expect(problems.problem(slug: slug)?.title == "Race")
        }
    }
}
