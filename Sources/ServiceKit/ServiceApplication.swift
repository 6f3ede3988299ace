#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlgoProto
import Logging
import NIOPosix
import RPC
import ServiceLifecycle

/// A running service: its RPC server (with Health), its background services, and signal handling.
///
/// SIGTERM or SIGINT → Health reports NOT_SERVING → the RPC server drains (GOAWAY, in-flight requests
/// finish) → background services stop in reverse order → exit 0.
public struct ServiceApplication: Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let health: HealthService
    public let server: RPCServer
    private let background: [any Service]

    public init(
        settings: ServiceSettings,
        logger: Logger,
        services: [RPCServiceDefinition],
        healthChecks: [(name: String, check: HealthService.Check)] = [],
        background: [any Service] = []
    ) {
        self.settings = settings
        self.logger = logger
        self.health = HealthService(service: settings.name, version: settings.version, checks: healthChecks)
        var configuration = RPCServerConfiguration(host: settings.rpcHost, port: settings.rpcPort, authenticator: settings.authenticator)
        configuration.drainTimeout = .seconds(20)
        self.server = RPCServer(
            configuration: configuration,
            services: [self.health.serviceDefinition] + services,
            logger: logger
        )
        self.background = background
    }

    public func run() async throws {
        let health = self.health
        // Registered first, so it stops last: Health flips to NOT_SERVING before the server drains.
        let drainMarker = DrainMarker(onShutdown: { health.markDraining() })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: self.background.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
                    + [
                        .init(service: self.server),
                        .init(service: drainMarker),
                    ],
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

/// Process start-up shared by every service executable: logging, settings, SIGPIPE, errors to stderr.
public enum ServiceBootstrap {
    /// Loads settings and installs logging; on a configuration error prints it and exits 2.
    public static func start(name: String, defaultRPCPort: Int) -> (ServiceSettings, Logger) {
        signal(SIGPIPE, SIG_IGN)
        let settings: ServiceSettings
        do {
            settings = try ServiceSettings.load(name: name, defaultRPCPort: defaultRPCPort)
        } catch {
            var line = "\(name): \(error)\n"
            line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(2)
        }
        let format = settings.logFormat
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            if format == "json" { return JSONLogHandler(label: label, service: name, level: level) }
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "algosports.\(name)")
        logger.logLevel = level
        return (settings, logger)
    }
}
