import CPostgres

/// One row of a query result, decoded by column name:
///
///     let id = try row.decode("id", as: Int64.self)
///     let bio = try row.decode("bio", as: String?.self)   // nil for NULL
///
/// Timestamps: select them as Unix milliseconds, `(extract(epoch from created_at)*1000)::bigint
/// AS created_at_ms`, and decode `Int64` (no time zone or text-format parsing anywhere).
/// Values are read from libpq's result when decoded, not copied up front.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int32

    /// Column names in select-list order.
    public var columnNames: [String] { self.result.names }

    /// The value of `column` as `T`; throws `PostgresDecodingError` for a missing column, a NULL
    /// decoded as a non-optional type, or a column whose type does not fit `T`.
    /// With duplicate column names the first one wins.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let field = self.result.columns[column] else {
            throw PostgresDecodingError(column: column, problem: "no such column (have: \(self.result.names.joined(separator: ", ")))")
        }
        let handle = self.result.handle
        if PQgetisnull(handle, self.index, field) != 0 {
            return try T.postgresDecodeNull(column: column)
        }
        let bytes = UnsafeRawBufferPointer(
            start: PQgetvalue(handle, self.index, field),
            count: Int(PQgetlength(handle, self.index, field))
        )
        return try T.postgresDecode(PostgresCell(column: column, type: self.result.types[Int(field)], text: bytes))
    }

    /// Whether `column` is NULL (false for a missing column).
    public func isNull(_ column: String) -> Bool {
        guard let field = self.result.columns[column] else { return false }
        return PQgetisnull(self.result.handle, self.index, field) != 0
    }
}

/// A query's libpq result, shared by its rows and freed with the last of them.
///
/// `@unchecked Sendable`: libpq documents a `PGresult` as read-only after creation and safe to
/// read from several threads; nothing here mutates it.
final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    let names: [String]
    let columns: [String: Int32]
    let types: [UInt32]

    init(handle: OpaquePointer) {
        self.handle = handle
        let count = PQnfields(handle)
        var names: [String] = []
        var columns: [String: Int32] = [:]
        var types: [UInt32] = []
        for field in 0..<count {
            let name = String(cString: PQfname(handle, field))
            names.append(name)
            if columns[name] == nil { columns[name] = field }
            types.append(PQftype(handle, field))
        }
        self.names = names
        self.columns = columns
        self.types = types
    }

    deinit { PQclear(self.handle) }

    var rows: [PostgresRow] {
        (0..<PQntuples(self.handle)).map { PostgresRow(result: self, index: $0) }
    }

    /// Rows inserted, updated or deleted (0 for other statements).
    var affectedRows: Int { Int(String(cString: PQcmdTuples(self.handle))) ?? 0 }
}

/// A non-NULL value in text format, valid only during `postgresDecode`.
public struct PostgresCell {
    public let column: String
    /// The column's type OID (`pg_type.oid`).
    public let type: UInt32
    /// The value's text form (bytea: `\x` followed by hex digits).
    public let text: UnsafeRawBufferPointer

    /// The error for a value of this column's type that cannot become `target`.
    public func mismatch(_ target: String) -> PostgresDecodingError {
        PostgresDecodingError(column: self.column, problem: "a \(PostgresType.name(of: self.type)) value cannot be decoded as \(target)")
    }

    var string: String { String(decoding: self.text, as: UTF8.self) }
}

/// A type a column value decodes to. `Optional` of a decodable type decodes NULL as nil.
public protocol PostgresDecodable: Sendable {
    static func postgresDecode(_ cell: PostgresCell) throws -> Self
    /// What a NULL decodes to; non-optional types throw.
    static func postgresDecodeNull(column: String) throws -> Self
}

extension PostgresDecodable {
    public static func postgresDecodeNull(column: String) throws -> Self {
        throw PostgresDecodingError(column: column, problem: "is NULL; decode as \(Self.self)? to accept NULL")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Wrapped? {
        try Wrapped.postgresDecode(cell)
    }

    public static func postgresDecodeNull(column: String) throws -> Wrapped? { nil }
}
