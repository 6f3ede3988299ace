import ServiceKit

/// The edge service. At this stage it answers Health and drains cleanly on SIGTERM.
@main
struct EdgeMain {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "edge", defaultRPCPort: 7100)
        try await ServiceApplication(settings: settings, logger: logger, services: []).run()
    }
}
