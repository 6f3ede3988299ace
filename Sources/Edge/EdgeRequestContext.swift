import Hummingbird
import NIOCore

/// What Edge knows about a request besides the request itself.
struct EdgeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP peer (a proxy when Edge runs behind one).
    var peerAddress: String? { self.remoteAddress?.ipAddress }
    /// Formatted only when asked for (rate limits): formatting it for every request cost 1.5% of Edge's CPU.
    private let remoteAddress: SocketAddress?
    /// From a sane `X-Request-Id`, or generated; echoed on the response.
    var requestID = ""
    /// W3C trace context sent to services (the incoming one continued, or a new trace).
    var traceparent = ""

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
