import Hummingbird
import ServiceKit

/// The end user behind a request, from a verified access token.
struct Caller: Sendable, Hashable {
    var id: Int64
    var username: String
    var role: String

    var isAdmin: Bool { self.role == "admin" }
    /// Staff and admins manage problems and rejudge.
    var isStaff: Bool { self.role == "staff" || self.role == "admin" }
}

/// Checks `Authorization: Bearer <access token>` locally with Users' public key: no call per request.
struct BearerAuthenticator: Sendable {
    let verifier: AccessTokenVerifier

    /// The caller, or a 401 problem when the header is missing or the token is not valid.
    func require(_ request: Request) throws -> Caller {
        guard let caller = try self.optional(request) else {
            throw Problem.unauthenticated("This endpoint needs an access token (Authorization: Bearer …).")
        }
        return caller
    }

    /// nil without an Authorization header; a 401 problem when one is present but not valid, so a
    /// client with an expired token learns it instead of silently seeing the anonymous view.
    func optional(_ request: Request) throws -> Caller? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthenticated("The Authorization header must be \"Bearer <access token>\".", invalidToken: true)
        }
        let claims: AccessTokenClaims
        do throws(TokenError) {
            claims = try self.verifier.verify(String(parts[1]).trimmingSpaces(), now: WallClock.nowSeconds())
        } catch {
            throw Problem.unauthenticated("The access token is not valid: \(error.reason).", invalidToken: true)
        }
        guard let id = claims.userID else {
            throw Problem.unauthenticated("The access token is not valid: malformed claims.", invalidToken: true)
        }
        return Caller(id: id, username: claims.username, role: claims.role)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        while text.first == " " { text = text.dropFirst() }
        return String(text)
    }
}
