/// One method of a `.proto` service: its wire path and whether a retry is harmless.
///
/// Values are generated from the `.proto` service definitions; Swift code never spells a path.
public struct RPCMethod<Request: RPCMessage, Response: RPCMessage>: Sendable {
    /// `package.Service/Method`, as on the wire.
    public let path: String
    /// True when the `.proto` marks the method `idempotency_level = IDEMPOTENT` or `NO_SIDE_EFFECTS`.
    public let isIdempotent: Bool

    public init(path: String, isIdempotent: Bool) {
        self.path = path
        self.isIdempotent = isIdempotent
    }
}
