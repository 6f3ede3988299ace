import NIOCore

/// Settings of an ``RPCClient``.
public struct RPCClientConfiguration: Sendable {
    /// Where the service runs: `host:port` pairs. A host name may resolve to several addresses;
    /// it is resolved again every `resolveInterval`, so replicas behind one DNS name are all used.
    public var targets: [Target]
    public var authenticator: PeerAuthenticator
    public var connectTimeout: TimeAmount = .seconds(2)
    public var backoff = Backoff()
    /// Attempts per call, first one included; only retry-safe failures are retried.
    public var maximumAttempts = 3
    /// Deadline for calls that set none (and run outside a handler that has one).
    public var defaultTimeout: Duration? = .seconds(30)
    public var resolveInterval: TimeAmount = .seconds(30)
    public var keepaliveInterval: TimeAmount = .seconds(10)
    public var keepaliveTimeout: TimeAmount = .seconds(5)
    /// Largest response frame accepted.
    public var maximumFrameLength: UInt32 = 4 << 20

    public struct Target: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { "\(host):\(port)" }
    }

    /// Exponential backoff with jitter between reconnect attempts.
    public struct Backoff: Sendable {
        public var initial: TimeAmount = .milliseconds(100)
        public var maximum: TimeAmount = .seconds(5)
        public var multiplier: Double = 1.6
        /// ± this fraction of the delay, so that clients do not reconnect in lockstep.
        public var jitter: Double = 0.2

        public init() {}

        /// The delay before attempt `failures + 1`, after `failures` consecutive failures.
        public func delay(afterFailures failures: Int) -> TimeAmount {
            guard failures > 0 else { return .zero }
            var base = Double(self.initial.nanoseconds)
            for _ in 1..<min(failures, 64) { base *= self.multiplier }
            let capped = min(base, Double(self.maximum.nanoseconds))
            let jittered = capped * (1 + Double.random(in: -self.jitter...self.jitter))
            return .nanoseconds(Int64(max(jittered, 0)))
        }
    }

    public init(targets: [Target], authenticator: PeerAuthenticator) {
        self.targets = targets
        self.authenticator = authenticator
    }

    /// Parses `host:port[,host:port…]` (`[v6]:port` for IPv6 literals).
    public init(addresses: String, authenticator: PeerAuthenticator) throws {
        let targets = try addresses.split(separator: ",").map { try Target(parsing: $0.trimmingCharacters(in: " ")) }
        guard !targets.isEmpty else { throw RPCError(.invalidArgument, "no address in \"\(addresses)\"") }
        self.init(targets: targets, authenticator: authenticator)
    }
}

extension RPCClientConfiguration.Target {
    init(parsing text: Substring) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port)
        else { throw RPCError(.invalidArgument, "\"\(text)\" is not host:port") }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { throw RPCError(.invalidArgument, "\"\(text)\" has no host") }
        self.init(host: String(host), port: port)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var result = self
        while result.first == set { result = result.dropFirst() }
        while result.last == set { result = result.dropLast() }
        return result
    }
}
