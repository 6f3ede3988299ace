import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Sends a request; `json` is serialized as an application/json body, `raw` is sent as is.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: [String: Any]? = nil,
        raw: String? = nil,
        contentType: String? = "application/json",
        token: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if body != nil, let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await self.execute(uri: uri, method: method, headers: headers, body: body)
    }

    /// Registers a new account through the API; returns its username and password.
    @discardableResult
    func registerUser(_ username: String = EdgeHarness.uniqueName(), password: String = "correct horse battery") async throws -> Account {
        let response = try await self.send(
            .post, "/api/v1/auth/register", json: ["username": username, "email": "\(username)@example.test", "password": password]
        )
        #expect(response.status == .created, "register: \(response.bodyText)")
        return Account(username: username, password: password, id: (response.json["id"] as? Int) ?? 0)
    }

    /// Logs in; returns the access and refresh tokens.
    func login(_ login: String, _ password: String) async throws -> (access: String, refresh: String) {
        let response = try await self.send(.post, "/api/v1/auth/login", json: ["login": login, "password": password])
        #expect(response.status == .ok, "login: \(response.bodyText)")
        return (response.json["access"] as? String ?? "", response.json["refresh"] as? String ?? "")
    }

    /// A new account, signed in.
    func signedInUser() async throws -> (account: Account, access: String, refresh: String) {
        let account = try await self.registerUser()
        let tokens = try await self.login(account.username, account.password)
        return (account, tokens.access, tokens.refresh)
    }
}

struct Account: Sendable {
    var username: String
    var password: String
    var id: Int
}

extension TestResponse {
    var bodyText: String { String(buffer: self.body) }

    /// The body as a JSON object ([:] when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The problem `type` slug (after https://algosports.dev/problems/), checking the media type.
    var problemType: String? {
        guard self.headers[.contentType] == "application/problem+json", let type = self.json["type"] as? String else { return nil }
        return type.replacingOccurrences(of: "https://algosports.dev/problems/", with: "")
    }

    /// `field: detail` of the problem's field errors.
    var fieldErrors: [String: String] {
        let errors = self.json["errors"] as? [[String: Any]] ?? []
        var result: [String: String] = [:]
        for error in errors {
            if let field = error["field"] as? String { result[field] = error["detail"] as? String ?? "" }
        }
        return result
    }
}
