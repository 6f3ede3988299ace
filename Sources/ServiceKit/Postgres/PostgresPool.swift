import CPostgres
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Pooled PostgreSQL connections, each on its own dedicated thread (never an event loop or the
/// cooperative pool: libpq blocks).
///
/// At most `poolSize` connections, opened on demand; a broken one is dropped and reopened on next
/// use. While the server is unreachable calls fail fast with `.connectionFailure`.
///
/// Single statements (`query`, `execute`) that queue behind busy connections leave together, up
/// to `maximumPipeline` of them, in one libpq pipeline: under load a connection and its server
/// process then work through a burst without a round trip and two thread wake-ups per statement
/// (PostgreSQL's CPU per query halved at 5,000 queries/s here). Each keeps its own sync point,
/// so it commits or fails alone; its caller hears back when the pipeline ends. A statement known
/// to be slow is better run through `withConnection`, which never joins a pipeline.
/// As a `Service`, `run()` waits for graceful shutdown and then closes the pool.
public final class PostgresPool: Service, Sendable {
    public let configuration: DatabaseConfiguration
    private let threads: BlockingThreadPool<PostgresWorker, PostgresPipelineItem>
    private let pipelines: NIOLockedValueBox<PipelineStatistics>

    public init(configuration: DatabaseConfiguration, logger: Logger) {
        self.configuration = configuration
        let gate = ConnectFailureGate()
        let pipelines = NIOLockedValueBox(PipelineStatistics())
        self.pipelines = pipelines
        // For operators: how much of the load leaves in pipelines, and how long they are.
        let pipelinesRun = Counter(label: "postgres_pipelines_total")
        let pipelinedStatements = Counter(label: "postgres_pipelined_statements_total")
        self.threads = BlockingThreadPool(
            name: "pg",
            maxThreads: max(1, configuration.poolSize),
            makeResource: { PostgresWorker(configuration: configuration, logger: logger, gate: gate) },
            releaseResource: { $0.close() },
            closedError: { PostgresError.connectionFailure("the PostgreSQL pool is closed") },
            batcher: BlockingBatcher(maxItems: Self.maximumPipeline) { worker, items in
                pipelines.withLockedValue { $0.record(items.count) }
                pipelinesRun.increment()
                pipelinedStatements.increment(by: items.count)
                worker.runPipelined(items)
            }
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
        try await self.run(PostgresStatement(sql: sql, binds: binds)).rows
    }

    /// Runs one parameterized statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresBindable] = []) async throws -> Int {
        try await self.run(PostgresStatement(sql: sql, binds: binds)).affectedRows
    }

    /// Most statements sent in one pipeline.
    static let maximumPipeline = 32

    /// A single statement, which a pool thread may pipeline with the ones queued behind it.
    private func run(_ statement: PostgresStatement) async throws -> PostgresResult {
        try await self.threads.run(batchItem: { PostgresPipelineItem(statement: statement, complete: $0) }) { worker in
            try worker.withConnection { try $0.run(statement.sql, statement.binds) }
        }
    }

    /// A round trip for health checks; returns e.g. "PostgreSQL 15.13".
    public func ping() async throws -> String {
        let version = try await self.query("SHOW server_version")
        let text = try version.first?.decode("server_version", as: String.self) ?? "?"
        return "PostgreSQL " + (text.split(separator: " ").first.map(String.init) ?? text)
    }

    /// Threads started and not yet exited (for tests: never more than `poolSize`).
    var threadCount: Int { self.threads.threadCount }

    /// Calls waiting for a connection (for tests).
    var queuedCalls: Int { self.threads.queuedCount }

    /// Pipelines run so far, and the statements they held.
    public var pipelineStatistics: PipelineStatistics { self.pipelines.withLockedValue { $0 } }

    public struct PipelineStatistics: Sendable, Equatable {
        public var pipelines = 0
        public var statements = 0

        mutating func record(_ count: Int) {
            self.pipelines += 1
            self.statements += count
        }
    }
}
