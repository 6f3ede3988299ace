import RPC

extension Environment {
    /// `host:port[,host:port…]` (or a DNS name) of another service, checked at start-up so that a
    /// typo fails the process with the variable's name instead of failing every call later.
    public func rpcAddresses(_ name: String, default fallback: String) throws -> String {
        let addresses = self.string(name, default: fallback)
        do {
            _ = try RPCClientConfiguration(addresses: addresses, authenticator: PeerAuthenticator(secret: "validation only"))
        } catch let error as RPCError {
            throw ConfigurationError(variable: name, problem: error.message)
        }
        return addresses
    }
}
