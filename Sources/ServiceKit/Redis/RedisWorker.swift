import Logging

/// The connection slot of one pool thread: opened on first use, discarded after any hiredis
/// error and opened again on the next use. Lives and dies on its thread.
final class RedisWorker {
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let gate: ConnectFailureGate
    private var connection: RedisConnection?

    init(configuration: RedisConfiguration, logger: Logger, gate: ConnectFailureGate) {
        self.configuration = configuration
        self.logger = logger
        self.gate = gate
    }

    func withConnection<T>(_ body: (RedisConnection) throws -> T) throws -> T {
        let connection = try self.usableConnection()
        defer {
            if connection.isBroken {
                self.logger.info("redis connection failed; it will be reopened on next use")
                self.connection = nil
            }
        }
        return try body(connection)
    }

    func close() {
        self.connection = nil
    }

    private func usableConnection() throws -> RedisConnection {
        if let connection = self.connection {
            if !connection.closedByServer() { return connection }
            self.logger.info("redis connection closed by the server; reconnecting")
            self.connection = nil
        }
        if let recent = self.gate.recentFailure() {
            throw RedisError(.connectionFailure, "not connecting: the last attempt just failed: \(recent)")
        }
        do {
            let connection = try RedisConnection.connect(self.configuration)
            self.gate.recordSuccess()
            self.connection = connection
            return connection
        } catch let error as RedisError {
            self.gate.recordFailure(error.message)
            self.logger.warning("redis connection failed", metadata: ["error": "\(error.message)"])
            throw error
        }
    }
}
