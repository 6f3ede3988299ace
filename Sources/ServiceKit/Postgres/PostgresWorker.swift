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
