import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves ``RPCServiceDefinition``s over the AlgoSports RPC protocol.
///
/// As a `Service`, it runs until graceful shutdown, then drains: stops accepting, sends GOAWAY on
/// every connection, lets in-flight requests finish (up to `drainTimeout`) and closes.
public final class RPCServer: Service, Sendable {
    public let configuration: RPCServerConfiguration
    private let router: RPCRouter
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    public init(
        configuration: RPCServerConfiguration,
        services: [RPCServiceDefinition],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.router = RPCRouter(services: services)
        self.group = group
        self.logger = logger
    }

    /// The bound address once started.
    public var localAddress: SocketAddress? {
        self.state.withLockedValue { $0.serverChannel?.localAddress }
    }

    /// Method paths this server answers.
    public var methodPaths: [String] { self.router.paths }

    /// Binds the listening socket. Idempotent.
    @discardableResult
    public func start() async throws -> SocketAddress {
        if let address = self.localAddress { return address }
        let configuration = self.configuration
        let router = self.router
        let logger = self.logger
        let channel = try await ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { [weak self] channel in
                guard let self, self.register(channel) else {
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ServerConnectionHandler(configuration: configuration, router: router, logger: logger)
                    )
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        self.state.withLockedValue { $0.serverChannel = channel }
        self.logger.info("rpc server listening", metadata: ["address": "\(channel.localAddress?.endpointKey ?? "?")"])
        return channel.localAddress!
    }

    /// Tracks an accepted connection; false while draining (the connection is refused).
    private func register(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let accepted = self.state.withLockedValue { state in
            guard !state.draining else { return false }
            state.connections[id] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.state.withLockedValue { _ = $0.connections.removeValue(forKey: id) }
            }
        }
        return accepted
    }

    public func run() async throws {
        try await self.start()
        do {
            try await gracefulShutdown()
            await self.drain()
        } catch {
            await self.close()
        }
    }

    /// Graceful stop: no new connections, GOAWAY, in-flight requests finish, then close.
    public func drain() async {
        let (listener, connections) = self.state.withLockedValue { state in
            state.draining = true
            return (state.serverChannel, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(RPCDrainEvent())
        }
        let forceClose = self.group.next().scheduleTask(in: self.configuration.drainTimeout) {
            for connection in connections { connection.close(promise: nil) }
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
        forceClose.cancel()
        self.logger.info("rpc server drained")
    }

    /// Immediate stop: closes every connection; running handlers are cancelled.
    public func close() async {
        let (listener, connections) = self.state.withLockedValue { state in
            state.draining = true
            return (state.serverChannel, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections {
            try? await connection.close()
        }
    }
}
