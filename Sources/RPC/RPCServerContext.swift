import Logging
import NIOCore

/// What a handler knows about the call it serves.
public struct RPCServerContext: Sendable {
    /// The inbound call being served, so that outgoing calls inherit its deadline and metadata.
    @TaskLocal public static var current: RPCServerContext?

    /// `package.Service/Method`.
    public let method: String
    public let metadata: RPCMetadata
    /// When the caller stops waiting; the server cancels the handler then.
    public let deadline: NIODeadline?
    public let remoteAddress: SocketAddress?
    /// A logger carrying the request id and trace id.
    public let logger: Logger

    public init(
        method: String,
        metadata: RPCMetadata,
        deadline: NIODeadline?,
        remoteAddress: SocketAddress?,
        logger: Logger
    ) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.remoteAddress = remoteAddress
        self.logger = logger
    }
}
