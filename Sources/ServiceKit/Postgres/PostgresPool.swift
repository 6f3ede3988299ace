import CPostgres
import Logging
import ServiceLifecycle

/// Pooled PostgreSQL connections, each on its own dedicated thread (never an event loop or the
/// cooperative pool: libpq blocks).
///
/// At most `poolSize` connections, opened on demand; a broken one is dropped and reopened on next
/// use. While the server is unreachable calls fail fast with `.connectionFailure`.
/// As a `Service`, `run()` waits for graceful shutdown and then closes the pool.
public final class PostgresPool: Service, Sendable {
    public let configuration: DatabaseConfiguration
    private let threads: BlockingThreadPool<PostgresWorker>

    public init(configuration: DatabaseConfiguration, logger: Logger) {
        self.configuration = configuration
        let gate = ConnectFailureGate()
        self.threads = BlockingThreadPool(
            name: "pg",
            maxThreads: max(1, configuration.poolSize),
            makeResource: { PostgresWorker(configuration: configuration, logger: logger, gate: gate) },
            releaseResource: { $0.close() },
            closedError: { PostgresError.connectionFailure("the PostgreSQL pool is closed") }
        )
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await self.close()
    }

    /// Fails queued calls, lets running ones finish, closes every connection.
    public func close() async {
        await self.threads.shutdown()
    }

    /// Runs `body` with a connection on that connection's thread. A transaction left open by
    /// `body` is rolled back. Cancelling the calling task drops the call if it has not started.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await self.threads.run { worker in try worker.withConnection(body) }
    }

    /// Runs `body` between BEGIN and COMMIT; any error thrown rolls the transaction back.
    ///
    /// If a statement failed inside `body` but `body` swallowed the error, PostgreSQL has already
    /// aborted the transaction: it is rolled back and this throws instead of pretending to commit.
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await self.withConnection { connection in
            try connection.executeScript("BEGIN")
            let value: T
            do {
                value = try body(connection)
            } catch {
                connection.rollbackQuietly()
                throw error
            }
            if connection.transactionStatus == PQTRANS_INERROR {
                connection.rollbackQuietly()
                throw PostgresError(kind: .other, sqlState: "25P02", message: "the transaction was aborted by an earlier error and has been rolled back")
            }
            try connection.executeScript("COMMIT")
            return value
        }
    }

    /// Runs one parameterized statement and returns its rows.
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> [PostgresRow] {
        try await self.withConnection { try $0.query(sql, binds) }
    }

    /// Runs one parameterized statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> Int {
        try await self.withConnection { try $0.execute(sql, binds) }
    }

    /// A round trip for health checks; returns e.g. "PostgreSQL 15.13".
    public func ping() async throws -> String {
        let version = try await self.query("SHOW server_version")
        let text = try version.first?.decode("server_version", as: String.self) ?? "?"
        return "PostgreSQL " + (text.split(separator: " ").first.map(String.init) ?? text)
    }

    /// Threads started and not yet exited (for tests: never more than `poolSize`).
    var threadCount: Int { self.threads.threadCount }
}
