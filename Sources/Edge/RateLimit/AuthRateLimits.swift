import AlgoProto
import Hummingbird

/// The limits on sign-in and sign-up: per client address, and per account for logins (so that
/// one address cannot guess many passwords, and many addresses cannot guess one account's).
struct AuthRateLimits: Sendable {
    let limiter: RateLimiter
    let settings: EdgeConfiguration.RateLimits
    let trustedProxies: TrustedProxies

    /// Counts a login attempt; returns the client address it was counted for.
    func login(account: UsersV1.AuthenticateRequest.Login, request: Request, context: EdgeRequestContext) async throws -> String {
        let client = self.clientAddress(request, context)
        try await self.limiter.hit(self.rule("login-ip", self.settings.loginPerIP), subject: client, logger: context.logger)
        let name: String
        switch account {
        case .username(let username): name = username.lowercased()
        case .email(let email): name = email.lowercased()
        }
        try await self.limiter.hit(self.rule("login-account", self.settings.loginPerAccount), subject: name, logger: context.logger)
        return client
    }

    func registration(request: Request, context: EdgeRequestContext) async throws {
        let client = self.clientAddress(request, context)
        try await self.limiter.hit(self.rule("register-ip", self.settings.registrationPerIP), subject: client, logger: context.logger)
    }

    private func rule(_ name: String, _ limit: Int) -> RateLimiter.Rule {
        RateLimiter.Rule(name: name, limit: limit, window: self.settings.window)
    }

    private func clientAddress(_ request: Request, _ context: EdgeRequestContext) -> String {
        self.trustedProxies.clientAddress(peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor])
    }
}
