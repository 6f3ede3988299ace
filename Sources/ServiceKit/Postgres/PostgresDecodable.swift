/// Decoding of the built-in Swift types from PostgreSQL's text format.
///
/// Integers decode from any integer column (and integral `numeric`) when the value fits;
/// `Double` from float, numeric and integer columns; `String` from any column but bytea
/// (its text form: uuid, json, timestamps…); `[UInt8]` from bytea only.

extension String: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> String {
        guard cell.type != PostgresType.bytea else { throw cell.mismatch("String (decode bytea as [UInt8])") }
        return cell.string
    }
}

extension Int64: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Int64 {
        guard PostgresType.integers.contains(cell.type) || cell.type == PostgresType.numeric else {
            throw cell.mismatch("Int64")
        }
        guard let value = Self.parseInteger(cell.text) else {
            throw PostgresDecodingError(column: cell.column, problem: "\(PostgresType.name(of: cell.type)) value is not an integer in Int64's range")
        }
        return value
    }

    /// Optional sign and decimal digits, with overflow checking; nil for anything else.
    static func parseInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { return nil }
        var value: Int64 = 0
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? times10.subtractingReportingOverflow(Int64(digit))
                : times10.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Int {
        let wide = try Int64.postgresDecode(cell)
        guard let value = Int(exactly: wide) else { throw cell.mismatch("Int (out of range)") }
        return value
    }
}

extension Int32: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Int32 {
        let wide = try Int64.postgresDecode(cell)
        guard let value = Int32(exactly: wide) else {
            throw PostgresDecodingError(column: cell.column, problem: "value is out of Int32's range")
        }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Bool {
        guard cell.type == PostgresType.bool, cell.text.count == 1 else { throw cell.mismatch("Bool") }
        return cell.text[0] == UInt8(ascii: "t")
    }
}

extension Double: PostgresDecodable {
    public static func postgresDecode(_ cell: PostgresCell) throws -> Double {
        let numeric: Set<UInt32> = [PostgresType.float4, PostgresType.float8, PostgresType.numeric]
        guard numeric.contains(cell.type) || PostgresType.integers.contains(cell.type) else {
            throw cell.mismatch("Double")
        }
        let text = cell.string
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw cell.mismatch("Double") }
            return value
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// bytea in hex format (`\x0aff…`, the server default since 9.0, set by the pool per connection).
    public static func postgresDecode(_ cell: PostgresCell) throws -> [UInt8] {
        guard cell.type == PostgresType.bytea else { throw cell.mismatch("[UInt8]") }
        let text = cell.text
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            throw PostgresDecodingError(column: cell.column, problem: "bytea is not in hex format")
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else {
                throw PostgresDecodingError(column: cell.column, problem: "bytea has an invalid hex digit")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
