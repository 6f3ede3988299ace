/// What travels beside a request: ids for logs and traces, and the end user Edge authenticated.
///
/// Servers trust `userID` and `userRole` because only authenticated peers can send requests at all.
public struct RPCMetadata: Sendable, Hashable {
    public var requestID: String?
    /// W3C trace context `traceparent`.
    public var traceparent: String?
    /// W3C trace context `tracestate`.
    public var tracestate: String?
    /// The authenticated end user on whose behalf the call is made.
    public var userID: String?
    /// That user's role (`user`, `staff`, `admin`).
    public var userRole: String?

    public init(
        requestID: String? = nil,
        traceparent: String? = nil,
        tracestate: String? = nil,
        userID: String? = nil,
        userRole: String? = nil
    ) {
        self.requestID = requestID
        self.traceparent = traceparent
        self.tracestate = tracestate
        self.userID = userID
        self.userRole = userRole
    }
}
