import Hummingbird
import HummingbirdTesting
import RPC
import Testing

@testable import Edge

/// Users stops and comes back on the same port: Edge answers 503 with Retry-After meanwhile
/// (the RPC client fails fast) and recovers by itself (the client reconnects), over real sockets.
@Suite struct UsersDownTests {
    @Test func edgeAnswers503ThenRecovers() async throws {
        let services = try await TestServices.shared.value
        let server = try await TestServices.startUsersServer(services.users, port: 0)
        let port = try #require(server.localAddress?.port)
        let harness = try await EdgeHarness(["USERS_ADDR": "127.0.0.1:\(port)"])
        let profile = "/api/v1/users/\(TestServices.adminUsername)"

        let restarted = try await harness.run { client in
            #expect(try await client.send(.get, profile).status == .ok)
            #expect(try await client.send(.get, "/readyz").status == .ok)

            await server.close()
            let down = try await Self.poll(client, profile, until: .serviceUnavailable)
            #expect(down.problemType == "service-unavailable")
            #expect(Int(down.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(down.json["detail"] as? String == "A service Edge depends on is unavailable; try again shortly.")
            #expect(try await client.send(.get, "/readyz").status == .serviceUnavailable)
            // Writes fail the same way, before anything is sent.
            let login = try await client.send(.post, "/api/v1/auth/login", json: ["login": "someone", "password": "whatever1"])
            #expect(login.status == .serviceUnavailable)

            let restarted = try await TestServices.startUsersServer(services.users, port: port)
            let up = try await Self.poll(client, profile, until: .ok)
            #expect(up.json["username"] as? String == TestServices.adminUsername)
            #expect(try await client.send(.get, "/readyz").status == .ok)
            return restarted
        }
        await restarted.close()
    }

    /// Repeats GET `path` until it answers `status` (at most 20 s).
    static func poll(_ client: some TestClientProtocol, _ path: String, until status: HTTPResponse.Status) async throws -> TestResponse {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let response = try await client.send(.get, path)
            if response.status == status || ContinuousClock.now > deadline {
                #expect(response.status == status, "\(path) never answered \(status): \(response.bodyText)")
                return response
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
