import CPostgres
import Logging

/// The connection slot of one pool thread: opened on first use, dropped when broken and opened
/// again on the next use. Lives and dies on its thread (see `BlockingThreadPool`).
final class PostgresWorker {
    private let configuration: DatabaseConfiguration
    private let logger: Logger
    private let gate: ConnectFailureGate
    private var connection: PostgresConnection?

    init(configuration: DatabaseConfiguration, logger: Logger, gate: ConnectFailureGate) {
        self.configuration = configuration
        self.logger = logger
        self.gate = gate
    }

    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try self.usableConnection()
        defer { self.afterUse(connection) }
        return try body(connection)
    }

    /// Runs the items' statements in one pipeline and completes every item.
    func runPipelined(_ items: [PostgresPipelineItem]) {
        let results: [Result<PostgresResult, any Error>]
        do {
            results = try self.withConnection { $0.runPipelined(items.map(\.statement)) }
        } catch {
            results = items.map { _ in .failure(error) }
        }
        for (item, result) in zip(items, results) { item.complete(result) }
    }

    /// Closes the connection (the pool is shutting down).
    func close() {
        self.connection = nil
    }

    private func usableConnection() throws -> PostgresConnection {
        if let connection = self.connection {
            if !connection.closedByServer() { return connection }
            self.logger.info("postgres connection closed by the server; reconnecting")
            self.connection = nil
        }
        if let recent = self.gate.recentFailure() {
            throw PostgresError.connectionFailure("not connecting: the last attempt just failed: \(recent)", sqlState: "08001")
        }
        do {
            let connection = try PostgresConnection.connect(self.configuration, logger: self.logger)
            self.gate.recordSuccess()
            self.logger.debug("postgres connection opened", metadata: ["backend_pid": "\(connection.backendPID)"])
            self.connection = connection
            return connection
        } catch let error as PostgresError where error.kind == .connectionFailure {
            self.gate.recordFailure(error.message)
            self.logger.warning("postgres connection failed", metadata: ["error": "\(error.message)"])
            throw error
        }
    }

    private func afterUse(_ connection: PostgresConnection) {
        // A body that returned (or threw) inside a transaction must not hand it to the next caller.
        connection.rollbackQuietly()
        if connection.isBroken {
            self.logger.info("postgres connection broken; it will be reopened on next use")
            self.connection = nil
        }
    }
}

/// One parameterized statement, run alone or in a pipeline.
struct PostgresStatement: Sendable {
    let sql: String
    let binds: [any PostgresBindable]
}

/// A statement queued in the pool with its caller's completion.
struct PostgresPipelineItem: Sendable {
    let statement: PostgresStatement
    let complete: @Sendable (Result<PostgresResult, any Error>) -> Void
}
