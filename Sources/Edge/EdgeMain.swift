import ServiceKit

/// The edge service: the public HTTP API (EDGE_PORT), plus the RPC Health and admin ports every
/// service has. `Edge print-openapi` prints the OpenAPI document (docs/openapi.json).
@main
struct EdgeMain {
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "print-openapi" {
            print(OpenAPIDocument.rendered, terminator: "")
            return
        }
        let (settings, logger) = ServiceBootstrap.start(name: "edge", defaultRPCPort: 7100)
        var configuration = ServiceBootstrap.require(name: "edge") { try EdgeConfiguration(.process) }
        configuration.version = settings.version
        do {
            let (dependencies, background) = try EdgeDependencies.connect(configuration: configuration, settings: settings, logger: logger)
            let app = try buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
            try await ServiceApplication(
                settings: settings, logger: logger, services: [],
                healthChecks: dependencies.healthChecks, background: background, frontDoors: [app]
            ).run()
        } catch {
            ServiceBootstrap.exit(name: "edge", error)
        }
    }
}
