import Logging
import NIOCore

/// What a handler knows about the call it serves.
///
/// A class, so that handing it from the connection to the task, the task-local and the handler
/// costs one reference count instead of one per field.
public final class RPCServerContext: Sendable {
    /// The inbound call being served, so that outgoing calls inherit its deadline and metadata.
    @TaskLocal public static var current: RPCServerContext?

    /// `package.Service/Method`.
    public let method: String
    public let metadata: RPCMetadata
    /// When the caller stops waiting; the server cancels the handler then.
    public let deadline: NIODeadline?
    public let remoteAddress: SocketAddress?
    private let baseLogger: Logger

    /// A logger carrying the request id and trace id (built on use: most requests never log).
    public var logger: Logger {
        var logger = self.baseLogger
        if let requestID = self.metadata.requestID { logger[metadataKey: "request_id"] = "\(requestID)" }
        if let traceID = self.traceID { logger[metadataKey: "trace_id"] = "\(traceID)" }
        return logger
    }

    /// The trace id inside a W3C `traceparent` (`00-<trace id>-<parent id>-<flags>`).
    public var traceID: Substring? {
        guard let traceparent = self.metadata.traceparent else { return nil }
        let parts = traceparent.split(separator: "-")
        return parts.count == 4 && parts[1].count == 32 ? parts[1] : nil
    }

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
        self.baseLogger = logger
    }
}
