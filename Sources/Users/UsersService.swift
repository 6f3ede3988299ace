import ServiceKit

/// The users service. At this stage it answers Health and drains cleanly on SIGTERM.
@main
struct UsersService {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "users", defaultRPCPort: 7101)
        try await ServiceApplication(settings: settings, logger: logger, services: []).run()
    }
}
