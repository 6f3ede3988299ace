import RPC

/// Call options for the services a request reaches: its deadline, request id, trace context and
/// the end user (Users trusts these, since only authenticated peers can call it).
struct UpstreamOptions: Sendable {
    let timeout: Duration

    func callOptions(_ context: EdgeRequestContext, caller: Caller? = nil) -> RPCCallOptions {
        RPCCallOptions(
            timeout: self.timeout,
            metadata: RPCMetadata(
                requestID: context.requestID,
                traceparent: context.traceparent,
                userID: caller.map { String($0.id) },
                userRole: caller?.role
            )
        )
    }
}
