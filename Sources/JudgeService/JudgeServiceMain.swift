import ServiceKit

/// The judge service. At this stage it answers Health and drains cleanly on SIGTERM.
@main
struct JudgeServiceMain {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "judge", defaultRPCPort: 7104)
        try await ServiceApplication(settings: settings, logger: logger, services: []).run()
    }
}
