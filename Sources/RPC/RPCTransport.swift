/// Anything that can carry a call to a service: the real ``RPCClient``, or an in-memory fake in unit tests.
///
/// Generated clients (`UsersV1.UsersClient`, …) are thin typed wrappers over a transport.
public protocol RPCTransport: Sendable {
    func call<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        options: RPCCallOptions
    ) async throws -> Response
}

/// Per-call options.
public struct RPCCallOptions: Sendable {
    /// How long the caller waits. Inside a handler the remaining budget of the inbound call caps it.
    public var timeout: Duration?
    /// Overrides the metadata inherited from the inbound call (request id, trace, end user).
    public var metadata: RPCMetadata?

    public init(timeout: Duration? = nil, metadata: RPCMetadata? = nil) {
        self.timeout = timeout
        self.metadata = metadata
    }
}
