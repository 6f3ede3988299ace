import Hummingbird
import HummingbirdTesting
import RPC
import Testing

@testable import Edge

/// Problems and Submissions stop and come back: routes that need them answer 503 with
/// Retry-After meanwhile, /readyz names them, and Edge recovers by itself.
@Suite struct ServicesDownTests {
    @Test func problemsAndSubmissionsDownAre503() async throws {
        let fakes = try await TestServices.shared.value.fakes
        let server = try await FakeServices.startServer(problems: fakes.problems, submissions: fakes.submissions, games: fakes.games, matches: fakes.matches, port: 0)
        let port = try #require(server.localAddress?.port)
        let address = "127.0.0.1:\(port)"
        let harness = try await EdgeHarness(["PROBLEMS_ADDR": address, "SUBMISSIONS_ADDR": address, "JUDGE_ADDR": address])

        let restarted = try await harness.run { client in
            #expect(try await client.send(.get, "/api/v1/languages").status == .ok)
            #expect(try await client.send(.get, "/readyz").status == .ok)

            await server.close()
            let down = try await UsersDownTests.poll(client, "/api/v1/languages", until: .serviceUnavailable)
            #expect(down.problemType == "service-unavailable" && Int(down.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let list = try await client.send(.get, "/api/v1/submissions")
            #expect(list.status == .serviceUnavailable)
            let submit = try await client.send(
                .post, "/api/v1/submissions", json: ["problem": "a-plus-b", "language": "c", "source": "x"], token: harness.token("user").token
            )
            #expect(submit.status == .serviceUnavailable)
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            let dependencies = ready.json["dependencies"] as? [[String: Any]] ?? []
            let failing = Set(dependencies.filter { $0["status"] as? String != "SERVING" }.compactMap { $0["name"] as? String })
            #expect(failing == ["problems", "submissions", "judge"])

            let restarted = try await FakeServices.startServer(problems: fakes.problems, submissions: fakes.submissions, games: fakes.games, matches: fakes.matches, port: port)
            #expect(try await UsersDownTests.poll(client, "/api/v1/languages", until: .ok).status == .ok)
            #expect(try await UsersDownTests.poll(client, "/readyz", until: .ok).status == .ok)
            return restarted
        }
        await restarted.close()
    }
}
