import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import ServiceKit

/// The servers `make test` (tools/test.sh) starts. Missing variables fail the test, not skip it.
enum TestServers {
    static func url(_ variable: String) throws -> String {
        guard let value = Environment.process.string(variable) else { throw MissingServer(variable: variable) }
        return value
    }

    static func postgres(_ variable: String = "DATABASE_URL_USERS", poolSize: Int = 4, logger: Logger = quietLogger) throws -> PostgresPool {
        var configuration = DatabaseConfiguration(url: try url(variable))
        configuration.poolSize = poolSize
        return PostgresPool(configuration: configuration, logger: logger)
    }

    static func admin() throws -> PostgresPool {
        try postgres("DATABASE_ADMIN_URL", poolSize: 2)
    }

    static func redis(poolSize: Int = 2, commandTimeout: Duration = .seconds(2)) throws -> RedisPool {
        var configuration = RedisConfiguration(url: try url("REDIS_URL"))
        configuration.poolSize = poolSize
        configuration.commandTimeout = commandTimeout
        return RedisPool(configuration: configuration, logger: quietLogger)
    }

    /// A name no other test (or earlier run) uses.
    static func unique(_ prefix: String) -> String {
        prefix + "_" + String(UInt64.random(in: 0..<UInt64.max), radix: 36)
    }

    static let quietLogger = Logger(label: "storage-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

struct MissingServer: Error, CustomStringConvertible {
    var variable: String
    var description: String {
        "\(variable) is not set: run the storage tests via `make test` (tools/test.sh starts PostgreSQL and Redis and exports it)"
    }
}

/// Runs `body` with `pool` and closes the pool afterwards, also when `body` throws.
func using<P: Sendable, T>(_ pool: P, close: (P) async -> Void, _ body: (P) async throws -> T) async throws -> T {
    do {
        let result = try await body(pool)
        await close(pool)
        return result
    } catch {
        await close(pool)
        throw error
    }
}

@discardableResult
func withPostgres<T>(_ pool: PostgresPool, _ body: (PostgresPool) async throws -> T) async throws -> T {
    try await using(pool, close: { await $0.close() }, body)
}

@discardableResult
func withRedis<T>(_ pool: RedisPool, _ body: (RedisPool) async throws -> T) async throws -> T {
    try await using(pool, close: { await $0.close() }, body)
}

/// Wall-clock time of `body`.
func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}

/// Runs tasks on a NIO event loop, as the RPC server's handlers do.
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop
    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Keeps what is logged, for assertions.
final class CapturedLogs: Sendable {
    let entries = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var logger: Logger {
        var logger = Logger(label: "captured", factory: { _ in CapturingHandler(sink: self) })
        logger.logLevel = .debug
        return logger
    }

    struct CapturingHandler: LogHandler {
        let sink: CapturedLogs
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            self.sink.entries.withLock { $0.append((event.level, event.message.description, merged)) }
        }
    }
}
