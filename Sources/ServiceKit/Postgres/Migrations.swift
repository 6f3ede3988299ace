#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPostgres
import Logging

/// One schema change, read from a file named `NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    /// SQL run as one script inside the migration transaction; it must not COMMIT or ROLLBACK.
    public var sql: String
    /// The file it came from, named in errors.
    public var file: String

    public init(version: Int, name: String, sql: String, file: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.file = file ?? "\(version)_\(name).sql"
    }
}

/// A migration set that cannot be loaded or applied; names the file and PostgreSQL's message.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    /// The server's error, when the migration's SQL failed.
    public var underlying: PostgresError?

    public var description: String { "migration \(self.file): \(self.message)" }
}

/// Loads and applies a service's schema migrations.
public enum Migrations {
    /// The `NNNN_name.sql` files of `directory`, sorted by version. Other files (README, dot
    /// files) are ignored; a `.sql` file with another name or a repeated version throws.
    public static func load(directory: String) throws -> [Migration] {
        guard let stream = opendir(directory) else {
            throw MigrationError(file: directory, message: "cannot open the migrations directory")
        }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".sql") && !name.hasPrefix(".") { names.append(name) }
        }
        closedir(stream)
        var migrations: [Migration] = []
        for file in names {
            guard let (version, name) = Self.parse(fileName: file) else {
                throw MigrationError(file: file, message: "is not named NNNN_name.sql (digits, underscore, letters/digits/_/-)")
            }
            migrations.append(Migration(version: version, name: name, sql: try Self.read("\(directory)/\(file)", file: file), file: file))
        }
        migrations.sort { $0.version < $1.version }
        try Self.checkUnique(migrations)
        return migrations
    }

    /// Applies every migration not yet recorded in `<schema>.schema_migrations`, all in ONE
    /// transaction under `pg_advisory_xact_lock(hashtext(schema))`, so concurrent instances
    /// apply each migration once. A failing migration rolls everything back and throws
    /// `MigrationError`; a lost connection throws `PostgresError` of kind `.connectionFailure`.
    public static func apply(_ migrations: [Migration], schema: String, pool: PostgresPool, logger: Logger) async throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        try Self.checkUnique(sorted)
        let table = "\(postgresQuoteIdentifier(schema)).schema_migrations"
        let applied = try await pool.withTransaction { connection -> [String] in
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", [schema])
            try connection.executeScript("""
                CREATE TABLE IF NOT EXISTS \(table) (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let done = Set(try connection.query("SELECT version FROM \(table)").map { try $0.decode("version", as: Int.self) })
            var applied: [String] = []
            for migration in sorted where !done.contains(migration.version) {
                do {
                    try connection.executeScript(migration.sql)
                } catch let error as PostgresError where error.kind != .connectionFailure {
                    // A lost connection stays a PostgresError: callers retry those (UNAVAILABLE).
                    throw MigrationError(file: migration.file, message: "failed: \(error.message) (SQLSTATE \(error.sqlState))", underlying: error)
                }
                guard connection.transactionStatus == PQTRANS_INTRANS else {
                    throw MigrationError(file: migration.file, message: "ended the migration transaction (remove COMMIT/ROLLBACK)")
                }
                try connection.execute("INSERT INTO \(table) (version, name) VALUES ($1, $2)", [migration.version, migration.name])
                applied.append(migration.file)
            }
            return applied
        }
        if applied.isEmpty {
            logger.debug("schema is up to date", metadata: ["schema": "\(schema)"])
        } else {
            logger.info("applied migrations", metadata: ["schema": "\(schema)", "migrations": "\(applied.joined(separator: ", "))"])
        }
    }

    /// `0003_add_index.sql` → (3, "add_index").
    static func parse(fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql"), let underscore = fileName.firstIndex(of: "_") else { return nil }
        let digits = fileName[..<underscore]
        let name = fileName[fileName.index(after: underscore)..<fileName.index(fileName.endIndex, offsetBy: -4)]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let version = Int(digits), version >= 0, !name.isEmpty,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return (version, String(name))
    }

    private static func checkUnique(_ sorted: [Migration]) throws {
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError(file: next.file, message: "has the same version as \(previous.file)")
        }
    }

    private static func read(_ path: String, file: String) throws -> String {
        guard let handle = fopen(path, "r") else { throw MigrationError(file: file, message: "cannot be read") }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = fread(&chunk, 1, chunk.count, handle)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `users` → `"users"`, with embedded quotes doubled: a schema name is never spliced raw.
func postgresQuoteIdentifier(_ identifier: String) -> String {
    var quoted = "\""
    for character in identifier {
        quoted.append(character)
        if character == "\"" { quoted.append("\"") }
    }
    return quoted + "\""
}
