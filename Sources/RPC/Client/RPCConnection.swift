import Logging
import NIOCore
import NIOPosix

/// One authenticated connection to one server address.
final class RPCConnection: Sendable {
    let channel: any Channel
    let limits: ServerLimits
    /// Touched only on the channel's event loop (checked, or reached through `execute`).
    private let handler: LoopConfined<ClientConnectionHandler>

    private init(channel: any Channel, limits: ServerLimits, handler: LoopConfined<ClientConnectionHandler>) {
        self.channel = channel
        self.limits = limits
        self.handler = handler
    }

    /// Connects and completes the handshake.
    static func connect(
        to address: SocketAddress,
        configuration: RPCClientConfiguration,
        group: any EventLoopGroup,
        logger: Logger,
        onGoAway: @escaping @Sendable () -> Void
    ) async throws -> RPCConnection {
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: ServerLimits.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ClientConnectionHandler(
                            authenticator: configuration.authenticator,
                            maximumFrameLength: configuration.maximumFrameLength,
                            keepaliveInterval: configuration.keepaliveInterval,
                            keepaliveTimeout: configuration.keepaliveTimeout,
                            readyPromise: ready,
                            logger: logger,
                            onGoAway: onGoAway
                        )
                    )
                }
            }
            .connect(to: address)
            .get()
        // A close before READY fails `ready` from the handler; a hung handshake needs this timer.
        let timeout = eventLoop.scheduleTask(in: configuration.connectTimeout) {
            ready.fail(RPCError(.unavailable, "handshake with \(address) timed out", notProcessed: true))
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        do {
            let limits = try await ready.futureResult.get()
            let handler = try await channel.eventLoop.submit {
                LoopConfined(try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self))
            }.get()
            return RPCConnection(channel: channel, limits: limits, handler: handler)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// Sends the request frame `encode` writes (stream id 0) and waits for the response body.
    ///
    /// A caller on the connection's loop encodes straight into the connection's output; any other
    /// encodes into a buffer of its own, which the loop then copies. Inlined into its one caller:
    /// an async call returning costs that caller an executor check.
    @inline(__always)
    func call(deadline: NIODeadline?, allocator: ByteBufferAllocator, encode: (inout ByteBuffer) -> Void) async throws -> ByteBuffer {
        let call = ClientCall()
        let eventLoop = self.channel.eventLoop
        let handler = self.handler
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                call.continuation = continuation
                if eventLoop.inEventLoop {
                    handler.value.start(call, deadline: deadline, encode: encode)
                } else {
                    // Room for the head and a typical message, so that encoding rarely reallocates.
                    var frame = allocator.buffer(capacity: 512)
                    encode(&frame)
                    eventLoop.execute { handler.value.start(call, frame: frame, deadline: deadline) }
                }
            }
        } onCancel: {
            eventLoop.execute { handler.value.cancel(call) }
        }
    }

    func closeWhenIdle() {
        let handler = self.handler
        self.channel.eventLoop.execute { handler.value.closeWhenIdle() }
    }
}
