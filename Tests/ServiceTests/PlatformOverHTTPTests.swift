import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// The whole platform as a user meets it: Edge over HTTP in front of real Users, Problems,
/// Submissions and JudgeService processes, PostgreSQL, Redis and the sandbox.
@Suite("Platform over HTTP", .serialized)
struct PlatformOverHTTPTests {
    @Test("staff publish a problem over HTTP; a user's submissions are judged AC, WA and RE (signal 11) and streamed live")
    func problemToVerdict() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let edge = try EdgeFront(stack: stack)
            defer { edge.stop() }
            let admin = try await edge.login(edge.adminUser, edge.adminPassword)

            let slug = "http-aplusb-\(UInt32.random(in: 0...UInt32.max))"
            let created = try await edge.send("POST", "/api/v1/problems", token: admin, json: [
                "slug": slug, "title": "A+B over HTTP", "statement": "Print a + b.", "difficulty": "easy",
                "time_limit_ms": 2000, "memory_limit_mb": 64, "checker": ["type": "tokens"],
            ])
            #expect(created.status == 201, "\(created.text)")
            let tests = try await edge.send("PUT", "/api/v1/problems/\(slug)/tests", token: admin, json: [
                "tests": [["input": "1 2\n", "answer": "3\n"], ["input": "40 2\n", "answer": "42\n"]],
            ])
            #expect(tests.status == 200, "\(tests.text)")

            let user = "u\(UInt32.random(in: 0...UInt32.max))"
            let registered = try await edge.send("POST", "/api/v1/auth/register", json: ["username": user, "email": "\(user)@example.com", "password": "correct horse battery"])
            #expect(registered.status == 201, "\(registered.text)")
            let token = try await edge.login(user, "correct horse battery")
            // A draft is invisible to the user until staff publish it.
            let early = try await edge.send("POST", "/api/v1/submissions", token: token, json: ["problem": slug, "language": "c", "source": "int main(void) { return 0; }"])
            #expect(early.status == 404 || early.status == 422, "\(early.text)")
            let published = try await edge.send("PATCH", "/api/v1/problems/\(slug)", token: admin, json: ["visibility": "public"])
            #expect(published.status == 200, "\(published.text)")

            let accepted = try await edge.submit(slug, token: token, source: "#include <stdio.h>\nint main(void) { long long a, b; scanf(\"%lld %lld\", &a, &b); printf(\"%lld\\n\", a + b); return 0; }")
            // The stream runs until the final verdict, then ends.
            let stream = try await edge.send("GET", "/api/v1/submissions/\(accepted)/events", token: token)
            #expect(stream.status == 200)
            #expect(stream.text.contains("event: done"), "\(stream.text)")
            let done = try await edge.waitUntilDone(accepted, token: token)
            #expect(done["verdict"] as? String == "AC", "\(done)")
            let results = try #require(done["tests"] as? [[String: Any]])
            #expect(results.count == 2 && results.allSatisfy { $0["verdict"] as? String == "AC" && ($0["memory_kb"] as? Int ?? 0) > 0 })

            let wrong = try await edge.submit(slug, token: token, source: "#include <stdio.h>\nint main(void) { puts(\"3\"); return 0; }")
            let wrongDone = try await edge.waitUntilDone(wrong, token: token)
            #expect(wrongDone["verdict"] as? String == "WA", "\(wrongDone)")

            let crash = try await edge.submit(slug, token: token, source: "int main(void) { volatile int *p = 0; *p = 1; return 0; }")
            let crashDone = try await edge.waitUntilDone(crash, token: token)
            #expect(crashDone["verdict"] as? String == "RE", "\(crashDone)")
            let first = try #require((crashDone["tests"] as? [[String: Any]])?.first)
            #expect(first["signal"] as? Int == 11 && first["exit_code"] is NSNull, "\(first)")

            let listed = try await edge.send("GET", "/api/v1/submissions?problem=\(slug)&verdict=WA", token: token)
            let items = (listed.json["items"] as? [[String: Any]]) ?? []
            #expect(items.map { $0["id"] as? Int } == [Int(wrong)], "\(listed.text)")
        }
    }
}

/// Users and Edge processes in front of a JudgingStack.
final class EdgeFront {
    let users: ServiceProcess
    let edge: ServiceProcess
    let port: Int
    let adminUser = "admin\(UInt32.random(in: 0...UInt32.max))"
    let adminPassword = "admin-password-\(UInt32.random(in: 0...UInt32.max))"

    struct Response {
        var status: Int
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(self.text.utf8)) as? [String: Any]) ?? [:] }
    }

    init(stack: JudgingStack) throws {
        var users = try ServiceProcessTests.environment(for: "Users", adminPort: try freePort())
        users["ALGOSPORTS_ADMIN_USER"] = self.adminUser
        users["ALGOSPORTS_ADMIN_PASSWORD"] = self.adminPassword
        self.users = try ServiceProcess("Users", environment: users)
        let usersPort = try self.users.listeningPort()

        var edge = try ServiceProcessTests.environment(for: "Edge", adminPort: try freePort())
        self.port = try #require(edge["EDGE_PORT"].flatMap { Int($0) })
        edge["REDIS_URL"] = stack.redis.url
        edge["USERS_ADDR"] = "127.0.0.1:\(usersPort)"
        edge["PROBLEMS_ADDR"] = "127.0.0.1:\(stack.problemsPort)"
        edge["SUBMISSIONS_ADDR"] = "127.0.0.1:\(stack.submissionsPort)"
        edge["SSE_HEARTBEAT_MS"] = "1000"
        self.edge = try ServiceProcess("Edge", environment: edge)
        _ = try self.edge.listeningPort()
    }

    func stop() {
        _ = self.edge.terminate()
        _ = self.users.terminate()
    }

    func send(_ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil) async throws -> Response {
        let (status, _, data) = try await self.fetch(method, path, token: token, json: json)
        return Response(status: status, text: String(decoding: data, as: UTF8.self))
    }

    /// The raw answer: status, headers and body bytes.
    func fetch(_ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil) async throws -> (Int, HTTPURLResponse?, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(self.port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http, data)
    }

    /// Logs in, retrying while Edge's HTTP port opens and Users applies migrations and creates
    /// the admin (the processes log their RPC address before all of that is done).
    func login(_ login: String, _ password: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let outcome: String
            do {
                let response = try await self.send("POST", "/api/v1/auth/login", json: ["login": login, "password": password])
                if response.status == 200, let access = response.json["access"] as? String { return access }
                outcome = "\(response.status) \(response.text)"
            } catch {
                outcome = "\(error)"
            }
            guard ContinuousClock.now < deadline else {
                Issue.record("login as \(login) failed: \(outcome)")
                throw CocoaError(.userCancelled)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func submit(_ slug: String, token: String, source: String) async throws -> Int64 {
        let response = try await self.send("POST", "/api/v1/submissions", token: token, json: ["problem": slug, "language": "c", "source": source])
        #expect(response.status == 202, "\(response.text)")
        return Int64(try #require(response.json["id"] as? Int))
    }

    func waitUntilDone(_ id: Int64, token: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let response = try await self.send("GET", "/api/v1/submissions/\(id)", token: token)
            if response.json["status"] as? String == "done" { return response.json }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("submission \(id) was not judged in time")
        return [:]
    }
}
