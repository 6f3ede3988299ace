#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPostgres
import Logging

/// One libpq connection.
///
/// Not `Sendable`: the pool hands it to one dedicated thread at a time (the thread that opened
/// it), and every call checks that. Calls block that thread, never an event loop.
public final class PostgresConnection {
    let handle: OpaquePointer
    private let owner: pthread_t
    private let notices: PostgresNoticeSink
    /// Set when the connection must not be reused even though libpq still reports it as OK.
    private var poisoned = false

    private init(handle: OpaquePointer, notices: PostgresNoticeSink) {
        self.handle = handle
        self.owner = pthread_self()
        self.notices = notices
    }

    deinit { PQfinish(self.handle) }

    /// Opens a connection on the current thread; throws `.connectionFailure` if it cannot.
    static func connect(_ configuration: DatabaseConfiguration, logger: Logger) throws -> PostgresConnection {
        let seconds = max(2, (configuration.connectTimeout.storageMilliseconds + 999) / 1000)
        // Later keywords override what the URL (expanded from "dbname") says.
        let parameters: [(String, String)] = [
            ("dbname", configuration.url),
            ("connect_timeout", String(seconds)),
            ("client_encoding", "UTF8"),
            ("fallback_application_name", "algosports"),
        ]
        let handle = withPostgresCStrings(parameters.map(\.0)) { keywords in
            withPostgresCStrings(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let handle else { throw PostgresError.connectionFailure("libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.errorMessage(handle)
            PQfinish(handle)
            throw PostgresError.connectionFailure(message, sqlState: "08001")
        }
        let connection = PostgresConnection(handle: handle, notices: PostgresNoticeSink(logger: logger))
        connection.notices.install(on: handle)
        var setup = "SET bytea_output = 'hex'"
        if let timeout = configuration.statementTimeout {
            setup += "; SET statement_timeout = \(timeout.storageMilliseconds)"
        }
        try connection.executeScript(setup)
        return connection
    }

    /// Runs one parameterized statement and returns its rows.
    public func query(_ sql: String, _ binds: [any PostgresBindable] = []) throws -> [PostgresRow] {
        try self.run(sql, binds).rows
    }

    /// Runs one parameterized statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresBindable] = []) throws -> Int {
        try self.run(sql, binds).affectedRows
    }

    /// Runs SQL without parameters, possibly several statements separated by `;` (migrations,
    /// fixed DDL). Never build this text from input: values go through `query`/`execute`.
    public func executeScript(_ sql: String) throws {
        self.checkThread()
        _ = try self.check(PQexec(self.handle, sql))
    }

    /// Whether the connection must be dropped: libpq lost it, or an error made it unusable.
    var isBroken: Bool { self.poisoned || PQstatus(self.handle) != CONNECTION_OK }

    var transactionStatus: PGTransactionStatusType { PQtransactionStatus(self.handle) }

    /// The server process serving this connection (`pg_backend_pid()`).
    var backendPID: Int32 { PQbackendPID(self.handle) }

    /// Ends an open transaction after a failure; a broken connection is left to be dropped.
    func rollbackQuietly() {
        guard !self.isBroken, self.transactionStatus != PQTRANS_IDLE else { return }
        if let result = PQexec(self.handle, "ROLLBACK") { PQclear(result) }
    }

    /// An idle connection has nothing to read; readable means the server closed it (restart,
    /// `pg_terminate_backend`, idle timeout). Finding out now spares the caller's query.
    func closedByServer() -> Bool {
        let socket = PQsocket(self.handle)
        guard socket >= 0 else { return true }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        // The first read takes the server's farewell message, the next one sees end-of-file.
        for _ in 0..<4 {
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(self.handle) == 0 { break }
        }
        return self.isBroken
    }

    /// Runs statements in pipeline mode: all are sent before the first result is read, so the
    /// server works through them without waiting for a round trip each, and neither side sleeps
    /// between them. A sync after each keeps them independent, as if run one by one (each its own
    /// implicit transaction: one failing leaves the others alone).
    func runPipelined(_ statements: [PostgresStatement]) -> [Result<PostgresResult, any Error>] {
        self.checkThread()
        var results = [Result<PostgresResult, any Error>?](repeating: nil, count: statements.count)
        var sent: [Int] = []
        // Prepare first: PQprepare waits for its answer, which pipeline mode does not allow.
        var prepared: [(encoded: PostgresEncodedBinds, name: String?)?] = []
        for (index, statement) in statements.enumerated() {
            do {
                let encoded = try PostgresEncodedBinds(statement.binds)
                prepared.append((encoded, try self.preparedStatement(statement.sql, types: encoded.types)))
            } catch {
                results[index] = .failure(error)
                prepared.append(nil)
            }
        }
        guard PQenterPipelineMode(self.handle) == 1 else {
            // Only fails when the connection is not idle: run them one by one instead.
            return statements.indices.map { index in
                results[index] ?? Result { try self.run(statements[index].sql, statements[index].binds) }
            }
        }
        for (index, statement) in statements.enumerated() {
            guard let (encoded, name) = prepared[index] else { continue }
            let queued = encoded.withValuePointers { values in
                if let name {
                    return PQsendQueryPrepared(self.handle, name, encoded.count, values, encoded.lengths, encoded.formats, 0)
                }
                return PQsendQueryParams(self.handle, statement.sql, encoded.count, encoded.types, values, encoded.lengths, encoded.formats, 0)
            }
            guard queued == 1, PQpipelineSync(self.handle) == 1 else { break }
            sent.append(index)
        }
        var broken: PostgresError?
        for index in sent {
            if let broken {
                results[index] = .failure(broken)
                continue
            }
            results[index] = Result { try self.check(PQgetResult(self.handle)) }
            // Anything else up to the NULL that ends the statement's results, then its sync point.
            while let extra = PQgetResult(self.handle) { PQclear(extra) }
            if let sync = PQgetResult(self.handle) {
                if PQresultStatus(sync) != PGRES_PIPELINE_SYNC { self.poisoned = true }
                PQclear(sync)
            }
            if self.isBroken {
                broken = PostgresError.connectionFailure(Self.errorMessage(self.handle))
            }
        }
        if PQexitPipelineMode(self.handle) != 1 { self.poisoned = true }
        let failure = broken ?? PostgresError.connectionFailure(Self.errorMessage(self.handle))
        for (index, result) in results.enumerated() {
            if case .failure(let error as PostgresError) = result, error.sqlState == "0A000", error.message.contains("cached plan") {
                self.forgetPreparedStatements()
            }
            if result == nil { results[index] = .failure(failure) }
        }
        return results.map { $0! }
    }

    func run(_ sql: String, _ binds: [any PostgresBindable]) throws -> PostgresResult {
        self.checkThread()
        let encoded = try PostgresEncodedBinds(binds)
        guard let name = try self.preparedStatement(sql, types: encoded.types) else {
            let result = encoded.withValuePointers { values in
                PQexecParams(self.handle, sql, encoded.count, encoded.types, values, encoded.lengths, encoded.formats, 0)
            }
            return try self.check(result)
        }
        let result = encoded.withValuePointers { values in
            PQexecPrepared(self.handle, name, encoded.count, values, encoded.lengths, encoded.formats, 0)
        }
        do {
            return try self.check(result)
        } catch let error as PostgresError where error.sqlState == "0A000" && error.message.contains("cached plan") {
            self.forgetPreparedStatements()
            throw error
        }
    }

    /// Statements prepared on this connection, by SQL and parameter types. A prepared statement is
    /// parsed and planned once per connection instead of on every call (about half the server's
    /// CPU for the short queries services make).
    private var prepared: [PreparedKey: String] = [:]
    private struct PreparedKey: Hashable {
        let sql: String
        let types: [UInt32]
    }
    /// Beyond this many distinct statements (dynamic SQL), new ones run unprepared.
    private static let maximumPrepared = 512

    /// A migration changed a table under a cached plan: forget every plan.
    private func forgetPreparedStatements() {
        guard !self.prepared.isEmpty else { return }
        _ = try? self.check(PQexec(self.handle, "DEALLOCATE ALL"))
        self.prepared.removeAll()
    }

    /// The name of the statement prepared for `sql` with `types`, preparing it on first use.
    private func preparedStatement(_ sql: String, types: [UInt32]) throws -> String? {
        let key = PreparedKey(sql: sql, types: types)
        if let name = self.prepared[key] { return name }
        guard self.prepared.count < Self.maximumPrepared else { return nil }
        let name = "algosports_\(self.prepared.count + 1)"
        _ = try self.check(PQprepare(self.handle, name, sql, Int32(types.count), types))
        self.prepared[key] = name
        return name
    }

    /// The result if it succeeded; otherwise frees it and throws the classified error.
    private func check(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else {
            throw PostgresError.connectionFailure(Self.errorMessage(self.handle))
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PostgresResult(handle: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            PQclear(result)
            self.poisoned = true  // mid-COPY: not worth unwinding, the pool reconnects
            throw PostgresError(kind: .other, sqlState: "0A000", message: "COPY is not supported by PostgresConnection")
        default:
            var error = PostgresError(
                sqlState: Self.field(result, "C") ?? "08006",
                serverMessage: Self.field(result, "M") ?? Self.errorMessage(self.handle),
                constraint: Self.field(result, "n")
            )
            PQclear(result)
            if error.sqlState.hasPrefix("08") { self.poisoned = true }
            if self.isBroken { error.kind = .connectionFailure }
            throw error
        }
    }

    private func checkThread() {
        precondition(pthread_equal(self.owner, pthread_self()) != 0, "a PostgresConnection was used off its pool thread")
    }

    static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        guard let value = PQresultErrorField(result, Int32(code.value)) else { return nil }
        return String(cString: value)
    }

    static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown libpq error" }
        var text = String(cString: message)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text.isEmpty ? "connection lost" : text
    }
}

@available(*, unavailable, message: "a PostgresConnection belongs to one pool thread")
extension PostgresConnection: Sendable {}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
func withPostgresCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
}
