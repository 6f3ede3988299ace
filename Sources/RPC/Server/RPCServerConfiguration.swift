import NIOCore

/// Settings of an ``RPCServer``; the defaults suit a service on these machines.
public struct RPCServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); read it back from ``RPCServer/localAddress``.
    public var port: Int
    public var authenticator: PeerAuthenticator
    /// Largest frame accepted after the handshake, in bytes.
    public var maximumFrameLength: UInt32 = 4 << 20
    /// Requests running at once on one connection; more get RESOURCE_EXHAUSTED, not processed.
    public var maximumConcurrentRequests: UInt32 = 1024
    public var keepaliveInterval: TimeAmount = .seconds(10)
    public var keepaliveTimeout: TimeAmount = .seconds(5)
    /// A client that has not finished the handshake by then is disconnected.
    public var handshakeTimeout: TimeAmount = .seconds(5)
    /// How long a drain waits for in-flight requests before closing connections anyway.
    public var drainTimeout: TimeAmount = .seconds(30)
    /// Where handlers run: on the connection's event loop (no thread hop) or on Swift's global pool.
    public var handlerExecution: HandlerExecution = .eventLoop

    public enum HandlerExecution: Sendable {
        case eventLoop
        case globalConcurrentExecutor
    }

    public init(host: String = "127.0.0.1", port: Int, authenticator: PeerAuthenticator) {
        self.host = host
        self.port = port
        self.authenticator = authenticator
    }
}
