import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Work a service needs once before it is ready (migrations, the first admin), retried with
/// backoff while its dependencies are not up yet, so that start-up order never matters.
public final class StartupTask: Service, Sendable {
    public let name: String
    private let work: @Sendable () async throws -> Void
    private let isFatal: @Sendable (any Error) -> Bool
    private let logger: Logger
    private let done = NIOLockedValueBox<(finished: Bool, lastError: String?)>((false, nil))

    /// - Parameter isFatal: errors that retrying cannot fix (a broken migration): the service stops.
    public init(
        name: String,
        logger: Logger,
        isFatal: @escaping @Sendable (any Error) -> Bool = { _ in false },
        work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.logger = logger
        self.isFatal = isFatal
        self.work = work
    }

    public var isFinished: Bool { self.done.withLockedValue { $0.finished } }

    /// A Health check: fails until the work has succeeded once.
    public var healthCheck: (name: String, check: HealthService.Check) {
        (self.name, { [self] in
            let state = self.done.withLockedValue { $0 }
            guard state.finished else { throw StartupPending(reason: state.lastError ?? "starting") }
            return "done"
        })
    }

    public func run() async throws {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await self.work()
                self.done.withLockedValue { $0 = (true, nil) }
                self.logger.info("start-up task finished", metadata: ["task": "\(self.name)"])
                break
            } catch where self.isFatal(error) {
                self.logger.critical("start-up task failed; stopping", metadata: ["task": "\(self.name)", "error": "\(error)"])
                throw error
            } catch {
                self.done.withLockedValue { $0.lastError = "\(error)" }
                self.logger.warning("start-up task failed; retrying", metadata: ["task": "\(self.name)", "error": "\(error)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
        // Stay alive until shutdown: ServiceGroup treats an early return as the end of the service.
        try? await gracefulShutdown()
    }

    struct StartupPending: Error, CustomStringConvertible {
        var reason: String
        var description: String { "not finished: \(reason)" }
    }
}
