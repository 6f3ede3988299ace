import Hummingbird
import NIOCore

/// What Edge knows about a request besides the request itself.
struct EdgeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP peer (a proxy when Edge runs behind one).
    let peerAddress: String?
    /// From a sane `X-Request-Id`, or generated; echoed on the response.
    var requestID = ""
    /// W3C trace context sent to services (the incoming one continued, or a new trace).
    var traceparent = ""

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
