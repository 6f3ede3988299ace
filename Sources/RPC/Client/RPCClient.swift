import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Calls one service (all its replicas) over the AlgoSports RPC protocol.
///
/// Deadlines and metadata of the inbound call being served (``RPCServerContext/current``) carry
/// over to outgoing calls, so a handler that calls another service passes on its remaining budget.
public final class RPCClient: RPCTransport, Service {
    public let configuration: RPCClientConfiguration
    private let pool: ConnectionPool
    private let allocator = ByteBufferAllocator()

    public init(
        configuration: RPCClientConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.pool = ConnectionPool(configuration: configuration, group: group, logger: logger)
    }

    /// Starts resolving and connecting before the first call.
    public func connect() {
        self.pool.start()
    }

    public func run() async throws {
        self.pool.start()
        try? await gracefulShutdown()
        await self.close()
    }

    public func close() async {
        await self.pool.close()
    }

    /// Addresses with a live, authenticated connection.
    public var connectedEndpoints: [String] { self.pool.connectedEndpoints }

    public func call<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ request: Request,
        options: RPCCallOptions = RPCCallOptions()
    ) async throws -> Response {
        let inbound = RPCServerContext.current
        let timeout = options.timeout ?? self.configuration.defaultTimeout
        // One clock read serves the deadline and, when a connection is free at once, the timeout sent.
        let start = timeout != nil || inbound?.deadline != nil ? NIODeadline.now() : nil
        var deadline = timeout.map { start! + TimeAmount($0) }
        if let inherited = inbound?.deadline {
            deadline = deadline.map { min($0, inherited) } ?? inherited
        }
        let metadata = options.metadata ?? inbound?.metadata ?? RPCMetadata()

        var attempt = 0
        while true {
            attempt += 1
            do {
                let lease: ConnectionPool.Lease
                var now = attempt == 1 ? start : nil
                if let ready = self.pool.tryAcquire() {
                    lease = ready
                } else {
                    lease = try await self.pool.acquire(deadline: deadline)
                    now = nil
                }
                var timeoutMilliseconds: UInt32 = 0
                if let deadline {
                    // Measured after any wait for a connection, so the server's deadline matches ours.
                    let remaining = deadline - (now ?? .now())
                    guard remaining > .zero else {
                        self.pool.release(lease)
                        throw RPCError(.deadlineExceeded, "deadline exceeded before \(method.path) was sent", notProcessed: true)
                    }
                    timeoutMilliseconds = UInt32(clamping: max(1, remaining.nanoseconds / 1_000_000))
                }
                let body: ByteBuffer
                do {
                    body = try await lease.connection.call(deadline: deadline, allocator: self.allocator) { frame in
                        let start = frame.beginRPCFrame(type: .request, flags: [], streamID: 0)
                        RequestHead(method: method.path, timeoutMilliseconds: timeoutMilliseconds, metadata: metadata).write(to: &frame)
                        request.encode(into: &frame)
                        frame.finishRPCFrame(startingAt: start)
                    }
                    self.pool.release(lease)
                } catch {
                    self.pool.release(lease)
                    throw error
                }
                do {
                    return try Response(decoding: body)
                } catch {
                    throw RPCError(.internal, "malformed response from \(method.path)")
                }
            } catch let error as RPCError {
                guard attempt < self.configuration.maximumAttempts, Self.isRetryable(error, idempotent: method.isIdempotent),
                      !Task.isCancelled
                else { throw error }
                try? await Task.sleep(for: .milliseconds(Int.random(in: 5...20) * attempt))
            }
        }
    }

    /// A call is retried when the server never started it, or when it is idempotent and the connection failed.
    static func isRetryable(_ error: RPCError, idempotent: Bool) -> Bool {
        switch error.code {
        case .cancelled, .deadlineExceeded, .unimplemented:
            return false
        case .unavailable:
            return error.notProcessed || idempotent
        default:
            return error.notProcessed
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
