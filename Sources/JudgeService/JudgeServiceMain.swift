import Logging
import ServiceKit

/// The judge: consumes the job and match queues, judges and plays in the sandbox, reports to Submissions.
@main
struct JudgeServiceMain {
    static func main() async throws {
        let (settings, logger) = ServiceBootstrap.start(name: "judge", defaultRPCPort: 7104)
        let configuration = ServiceBootstrap.require(name: "judge") {
            try JudgeConfiguration(.process, defaultConsumer: JudgeConfiguration.defaultConsumerName())
        }
        do {
            let assembly = try await JudgeAssembly(configuration: configuration, settings: settings, logger: logger)
            let app = ServiceApplication(
                settings: settings,
                logger: logger,
                services: [assembly.handler.serviceDefinition],
                healthChecks: [("redis", { try await assembly.redis.ping() })],
                background: [assembly.redis, assembly.problemsRPC, assembly.submissionsRPC, assembly.workers, assembly.matchWorkers]
            )
            try await app.run()
            await assembly.shutdown()
        } catch {
            ServiceBootstrap.exit(name: "judge", error)
        }
    }
}
