#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Pooled Redis connections, each on its own dedicated thread (hiredis blocks: never an event
/// loop, never the cooperative pool).
///
/// At most `poolSize` connections, opened on demand. Every command is bounded by
/// `commandTimeout` (socket timeouts); after any hiredis error the connection is discarded and a
/// new one is opened on next use. While the server is down calls fail fast with
/// `.connectionFailure`. A blocking command (`xreadgroup` with `block`) holds one connection for
/// its duration: give long-polling consumers their own pool.
public final class RedisPool: Service, Sendable {
    public let configuration: RedisConfiguration
    let logger: Logger
    private let threads: BlockingThreadPool<RedisWorker, Never>
    let subscriptions = NIOLockedValueBox(RedisSubscriptions())

    public init(configuration: RedisConfiguration, logger: Logger) {
        // hiredis writes with write(2): a connection closed by the server would raise SIGPIPE and
        // kill the process. ServiceBootstrap ignores it too; a pool must be safe on its own.
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        self.logger = logger
        let gate = ConnectFailureGate()
        self.threads = BlockingThreadPool(
            name: "redis",
            maxThreads: max(1, configuration.poolSize),
            makeResource: { RedisWorker(configuration: configuration, logger: logger, gate: gate) },
            releaseResource: { $0.close() },
            closedError: { RedisError(.connectionFailure, "the Redis pool is closed") }
        )
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await self.close()
    }

    /// Ends subscriptions, fails queued calls, lets running ones finish, closes every connection.
    public func close() async {
        let active = self.subscriptions.withLockedValue { state -> [RedisSubscription] in
            state.closed = true
            return Array(state.active.values)
        }
        for subscription in active { subscription.stop() }
        await self.threads.shutdown()
    }

    /// Runs `body` with a connection on that connection's thread (e.g. for MULTI/EXEC or WATCH).
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await self.threads.run { worker in try worker.withConnection(body) }
    }

    /// Sends one command; a top-level error reply throws `RedisError` of kind `.serverError`.
    public func command(_ arguments: [String]) async throws -> RedisValue {
        try await self.withConnection { try $0.command(arguments) }
    }

    /// Sends one command with binary-safe arguments.
    public func command(_ arguments: [[UInt8]]) async throws -> RedisValue {
        try await self.withConnection { try $0.command(arguments) }
    }

    /// Sends every command in one round trip on one connection; replies in order, each error
    /// reply as an `.error` value in its place.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        try await self.withConnection { try $0.pipeline(commands) }
    }

    /// Threads started and not yet exited (for tests: never more than `poolSize`).
    var threadCount: Int { self.threads.threadCount }
}

/// The pool's live subscriptions, stopped when the pool closes.
struct RedisSubscriptions: Sendable {
    var closed = false
    var active: [ObjectIdentifier: RedisSubscription] = [:]
}
