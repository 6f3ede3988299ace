import ServiceKit

/// The submissions service. At this stage it answers Health and drains cleanly on SIGTERM.
@main
struct SubmissionsService {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "submissions", defaultRPCPort: 7103)
        try await ServiceApplication(settings: settings, logger: logger, services: []).run()
    }
}
