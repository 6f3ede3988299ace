import ServiceKit

/// The problems service. At this stage it answers Health and drains cleanly on SIGTERM.
@main
struct ProblemsService {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "problems", defaultRPCPort: 7102)
        try await ServiceApplication(settings: settings, logger: logger, services: []).run()
    }
}
