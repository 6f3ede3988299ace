#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlgoProto
import Hummingbird
import Logging
import NIOPosix
import RPC
import ServiceLifecycle

/// A running service: its RPC server (with Health), its admin HTTP port, its background services
/// (connection pools, start-up work), and signal handling.
///
/// SIGTERM or SIGINT → Health and /readyz report NOT_SERVING → the RPC server drains (GOAWAY,
/// in-flight requests finish) and the admin port stops → pools close → exit 0.
public struct ServiceApplication: Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let health: HealthService
    public let server: RPCServer
    private let background: [any Service]
    private let frontDoors: [any Service]

    /// - Parameters:
    ///   - background: long-lived dependencies such as connection pools; they start first and stop last.
    ///   - frontDoors: extra listeners (Edge's public HTTP server) that stop with the RPC server.
    ///   - maximumFrameLength: the largest request frame accepted; nil keeps the RPC default (4 MiB).
    ///     Problems raises it so that test data uploads fit in one request.
    public init(
        settings: ServiceSettings,
        logger: Logger,
        services: [RPCServiceDefinition],
        healthChecks: [(name: String, check: HealthService.Check)] = [],
        background: [any Service] = [],
        frontDoors: [any Service] = [],
        maximumFrameLength: UInt32? = nil
    ) {
        self.settings = settings
        self.logger = logger
        self.health = HealthService(service: settings.name, version: settings.version, checks: healthChecks)
        var configuration = RPCServerConfiguration(host: settings.rpcHost, port: settings.rpcPort, authenticator: settings.authenticator)
        configuration.drainTimeout = .seconds(20)
        if let maximumFrameLength { configuration.maximumFrameLength = maximumFrameLength }
        self.server = RPCServer(
            configuration: configuration,
            services: [self.health.serviceDefinition] + services,
            logger: logger
        )
        self.background = background
        self.frontDoors = frontDoors
    }

    public func run() async throws {
        let health = self.health
        let admin = AdminServer.make(host: self.settings.adminHost, port: self.settings.adminPort, health: health, logger: self.logger)
        // ServiceGroup stops services in reverse order: the drain marker first, the pools last.
        let drainMarker = DrainMarker(onShutdown: { health.markDraining() })
        let services: [any Service] = self.background + [admin, self.server] + self.frontDoors + [drainMarker]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: self.logger
            )
        )
        try await group.run()
        self.logger.info("stopped")
    }
}

/// A service whose only job is to react first when graceful shutdown begins.
struct DrainMarker: Service {
    let onShutdown: @Sendable () -> Void

    func run() async throws {
        try? await gracefulShutdown()
        self.onShutdown()
    }
}

/// Process start-up shared by every service executable: logging, metrics, settings, SIGPIPE.
public enum ServiceBootstrap {
    /// Loads settings and installs logging and metrics; on a configuration error prints it and exits 2.
    public static func start(name: String, defaultRPCPort: Int) -> (ServiceSettings, Logger) {
        signal(SIGPIPE, SIG_IGN)
        let settings: ServiceSettings
        do {
            settings = try ServiceSettings.load(name: name, defaultRPCPort: defaultRPCPort)
        } catch {
            Self.exit(name: name, error)
        }
        let format = settings.logFormat
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            if format == "json" { return JSONLogHandler(label: label, service: name, level: level) }
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        PrometheusMetrics.bootstrap()
        var logger = Logger(label: "algosports.\(name)")
        logger.logLevel = level
        return (settings, logger)
    }

    /// Prints a start-up error (a configuration problem) to stderr and exits 2.
    public static func exit(name: String, _ error: any Error) -> Never {
        var line = "\(name): \(error)\n"
        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        Glibc.exit(2)
    }

    /// Reads a service-specific setting, exiting with a clear message when it is missing or invalid.
    public static func require<T>(name: String, _ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            Self.exit(name: name, error)
        }
    }
}
