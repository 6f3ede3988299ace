import Hummingbird
import HummingbirdTesting
import Testing

@testable import Edge

/// Fixed-window limits in the real Redis: per client address and per account.
@Suite struct RateLimitTests {
    @Test func loginIsLimitedPerAddress() async throws {
        try await EdgeHarness(["RATE_LIMIT_LOGIN_PER_IP": "3", "RATE_LIMIT_WINDOW_SECONDS": "60"]).run { client in
            for attempt in 1...3 {
                let response = try await client.send(.post, "/api/v1/auth/login", json: ["login": "nobody_\(attempt)_x", "password": "wrong password"])
                #expect(response.status == .unauthorized)
            }
            let limited = try await client.send(.post, "/api/v1/auth/login", json: ["login": "nobody_4_x", "password": "wrong password"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.problemType == "rate-limited")
            let retryAfter = Int(limited.headers[.retryAfter] ?? "") ?? 0
            #expect((1...60).contains(retryAfter), "Retry-After \(limited.headers[.retryAfter] ?? "none")")
            // The legacy path counts in the same window.
            #expect(try await client.send(.post, "/auth/login/", json: ["username": "nobody_5_x", "password": "x"]).status == .tooManyRequests)
        }
    }

    @Test func loginIsLimitedPerAccount() async throws {
        try await EdgeHarness(["RATE_LIMIT_LOGIN_PER_ACCOUNT": "2"]).run { client in
            let account = try await client.registerUser()
            for _ in 1...2 {
                let wrong = try await client.send(.post, "/api/v1/auth/login", json: ["login": account.username, "password": "wrong password"])
                #expect(wrong.status == .unauthorized)
            }
            // Even the right password waits now: the account is being guessed at.
            let limited = try await client.send(.post, "/api/v1/auth/login", json: ["login": account.username.uppercased(), "password": account.password])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // Other accounts from the same address are unaffected.
            let other = try await client.registerUser()
            #expect(try await client.send(.post, "/api/v1/auth/login", json: ["login": other.username, "password": other.password]).status == .ok)
        }
    }

    @Test func registrationIsLimitedPerAddress() async throws {
        try await EdgeHarness(["RATE_LIMIT_REGISTER_PER_IP": "2"]).run { client in
            try await client.registerUser()
            try await client.registerUser()
            let name = EdgeHarness.uniqueName()
            let limited = try await client.send(
                .post, "/api/v1/auth/register", json: ["username": name, "email": "\(name)@example.test", "password": "long enough pw"]
            )
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            let legacy = try await client.send(
                .post, "/auth/registration/",
                json: ["username": name, "email": "\(name)@example.test", "password1": "long enough pw", "password2": "long enough pw"]
            )
            #expect(legacy.status == .tooManyRequests)
        }
    }

    static var xffBody: [String: Any] { ["login": "nobody_xff", "password": "wrong password"] }

    @Test func forwardedForCountsOnlyBehindATrustedProxy() async throws {
        try await EdgeHarness(["RATE_LIMIT_LOGIN_PER_IP": "1", "TRUSTED_PROXIES": "127.0.0.1, ::1"]).run { client in
            let first = try await client.send(.post, "/api/v1/auth/login", json: Self.xffBody, headers: [.xForwardedFor: "198.51.100.7, 203.0.113.5"])
            #expect(first.status == .unauthorized)
            let again = try await client.send(.post, "/api/v1/auth/login", json: Self.xffBody, headers: [.xForwardedFor: "203.0.113.5"])
            #expect(again.status == .tooManyRequests)
            let otherClient = try await client.send(.post, "/api/v1/auth/login", json: Self.xffBody, headers: [.xForwardedFor: "203.0.113.6"])
            #expect(otherClient.status == .unauthorized)
        }
        // Not trusted (the default): the header is ignored, so rotating it does not help.
        try await EdgeHarness(["RATE_LIMIT_LOGIN_PER_IP": "1"]).run { client in
            let first = try await client.send(.post, "/api/v1/auth/login", json: Self.xffBody, headers: [.xForwardedFor: "203.0.113.1"])
            #expect(first.status == .unauthorized)
            let second = try await client.send(.post, "/api/v1/auth/login", json: Self.xffBody, headers: [.xForwardedFor: "203.0.113.2"])
            #expect(second.status == .tooManyRequests)
        }
    }

    @Test func redisDownFailsOpenAndShowsInReadiness() async throws {
        // Nothing listens on port 1: every Redis call fails at once with a connection failure.
        try await EdgeHarness(["REDIS_URL": "redis://127.0.0.1:1", "RATE_LIMIT_LOGIN_PER_IP": "1"]).run { client in
            let account = try await client.registerUser()
            for _ in 1...3 {
                let response = try await client.send(.post, "/api/v1/auth/login", json: ["login": account.username, "password": account.password])
                #expect(response.status == .ok)
            }
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            let redis = (ready.json["dependencies"] as? [[String: Any]])?.first { $0["name"] as? String == "redis" }
            #expect(redis?["status"] as? String == "NOT_SERVING")
        }
    }
}
