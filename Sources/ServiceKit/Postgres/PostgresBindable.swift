/// A value that can be passed as a query parameter (`$1`, `$2`, …); never spliced into SQL.
///
/// Parameters go as text except `[UInt8]` (binary bytea). Integers, booleans and doubles carry
/// their type (`int8`, `int4`, `bool`, `float8`), so `$1 + 1` stays 64-bit; a function that
/// wants `int4` needs an `Int32` or a cast (`$1::int`). `String` is sent untyped so that it can
/// feed uuid, jsonb, timestamptz or enum columns.
public protocol PostgresBindable: Sendable {
    /// The parameter's type OID; 0 lets the server infer it from the statement.
    static var postgresTypeOID: UInt32 { get }
    /// The value as sent to the server.
    var postgresBindValue: PostgresBindValue { get }
}

/// A parameter's wire form.
public enum PostgresBindValue: Sendable, Hashable {
    case null
    /// Text form; must not contain a NUL byte.
    case text(String)
    /// Binary form (for `bytea`: the bytes themselves).
    case binary([UInt8])
}

extension String: PostgresBindable {
    public static var postgresTypeOID: UInt32 { 0 }
    public var postgresBindValue: PostgresBindValue { .text(self) }
}

extension Int: PostgresBindable {
    public static var postgresTypeOID: UInt32 { PostgresType.int8 }
    public var postgresBindValue: PostgresBindValue { .text(String(self)) }
}

extension Int64: PostgresBindable {
    public static var postgresTypeOID: UInt32 { PostgresType.int8 }
    public var postgresBindValue: PostgresBindValue { .text(String(self)) }
}

extension Int32: PostgresBindable {
    public static var postgresTypeOID: UInt32 { PostgresType.int4 }
    public var postgresBindValue: PostgresBindValue { .text(String(self)) }
}

extension Bool: PostgresBindable {
    public static var postgresTypeOID: UInt32 { PostgresType.bool }
    public var postgresBindValue: PostgresBindValue { .text(self ? "t" : "f") }
}

extension Double: PostgresBindable {
    public static var postgresTypeOID: UInt32 { PostgresType.float8 }
    public var postgresBindValue: PostgresBindValue {
        if self.isNaN { return .text("NaN") }
        if self.isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(String(self))
    }
}

extension Array: PostgresBindable where Element == UInt8 {
    public static var postgresTypeOID: UInt32 { PostgresType.bytea }
    public var postgresBindValue: PostgresBindValue { .binary(self) }
}

/// `nil` binds SQL NULL, typed like the wrapped value.
extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public static var postgresTypeOID: UInt32 { Wrapped.postgresTypeOID }
    public var postgresBindValue: PostgresBindValue { self?.postgresBindValue ?? .null }
}

/// Built-in type OIDs (`pg_type.oid`) the kit binds and decodes.
enum PostgresType {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let char: UInt32 = 18
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let oid: UInt32 = 26
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let unknown: UInt32 = 705
    static let bpchar: UInt32 = 1042
    static let varchar: UInt32 = 1043
    static let numeric: UInt32 = 1700

    static let integers: Set<UInt32> = [int2, int4, int8, oid]

    static func name(of oid: UInt32) -> String {
        switch oid {
        case bool: return "boolean"
        case bytea: return "bytea"
        case int8: return "bigint"
        case int2: return "smallint"
        case int4: return "integer"
        case text: return "text"
        case float4: return "real"
        case float8: return "double precision"
        case varchar: return "varchar"
        case numeric: return "numeric"
        case 1114: return "timestamp"
        case 1184: return "timestamptz"
        case 2950: return "uuid"
        case 114: return "json"
        case 3802: return "jsonb"
        default: return "type OID \(oid)"
        }
    }
}

/// Parameters laid out for `PQexecParams`: one buffer, NUL-terminated text values.
struct PostgresEncodedBinds {
    var types: [UInt32] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    private var offsets: [Int?] = []
    private var storage: [UInt8] = []

    init(_ binds: [any PostgresBindable]) throws {
        for (index, bind) in binds.enumerated() {
            self.types.append(type(of: bind).postgresTypeOID)
            switch bind.postgresBindValue {
            case .null:
                self.offsets.append(nil)
                self.lengths.append(0)
                self.formats.append(0)
            case .text(let text):
                // libpq reads text parameters up to the first NUL: refuse rather than truncate.
                guard !text.utf8.contains(0) else {
                    throw PostgresError(kind: .other, sqlState: "22021", message: "parameter $\(index + 1) contains a NUL byte")
                }
                self.offsets.append(self.storage.count)
                self.storage += text.utf8
                self.storage.append(0)
                self.lengths.append(0)
                self.formats.append(0)
            case .binary(let bytes):
                self.offsets.append(self.storage.count)
                self.storage += bytes
                self.lengths.append(Int32(bytes.count))
                self.formats.append(1)
            }
        }
        self.storage.append(0)  // never empty, so there is always a base address
    }

    var count: Int32 { Int32(self.types.count) }

    /// Calls `body` with the value pointers (nil for NULL), valid only during the call.
    func withValuePointers<R>(_ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
        try self.storage.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            let pointers = self.offsets.map { offset in
                offset.map { (base + $0).assumingMemoryBound(to: CChar.self) }
            }
            return try body(pointers)
        }
    }
}
