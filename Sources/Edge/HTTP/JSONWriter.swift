import Hummingbird

/// A response body that writes its own JSON. Hand-written because Foundation's JSONEncoder was
/// the largest single cost of Edge's hottest route (GET a profile) in perf profiles.
protocol JSONResponseBody: Sendable {
    func write(to json: inout JSONWriter)
}

/// Appends compact JSON to a ByteBuffer. Keys are static strings (never input); values are escaped.
struct JSONWriter {
    private(set) var buffer = ByteBuffer()
    /// No separator is due before the next member or element.
    private var atStart = true

    init(capacity: Int = 256) {
        self.buffer.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        self.buffer.writeInteger(UInt8(ascii: "{"))
        self.atStart = true
    }

    mutating func endObject() {
        self.buffer.writeInteger(UInt8(ascii: "}"))
        self.atStart = false
    }

    mutating func beginArray() {
        self.buffer.writeInteger(UInt8(ascii: "["))
        self.atStart = true
    }

    mutating func endArray() {
        self.buffer.writeInteger(UInt8(ascii: "]"))
        self.atStart = false
    }

    /// Before each element of an array.
    mutating func element() {
        if !self.atStart { self.buffer.writeInteger(UInt8(ascii: ",")) }
        self.atStart = false
    }

    mutating func key(_ name: StaticString) {
        self.element()
        self.buffer.writeInteger(UInt8(ascii: "\""))
        self.buffer.writeStaticString(name)
        self.buffer.writeStaticString("\":")
        self.atStart = true
    }

    mutating func field(_ name: StaticString, _ value: String) {
        self.key(name)
        self.string(value)
    }

    /// Absent values leave the member out.
    mutating func field(_ name: StaticString, _ value: String?) {
        if let value { self.field(name, value) }
    }

    mutating func field(_ name: StaticString, _ value: Int64) {
        self.key(name)
        self.buffer.writeString(String(value))
        self.atStart = false
    }

    mutating func field(_ name: StaticString, _ value: Int32) {
        self.field(name, Int64(value))
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        self.key(name)
        self.buffer.writeStaticString(value ? "true" : "false")
        self.atStart = false
    }

    /// Non-finite numbers have no JSON form: they are written as null.
    mutating func field(_ name: StaticString, _ value: Double) {
        self.key(name)
        if value.isFinite {
            // Integral values print without ".0" so that `100` stays `100` for clients.
            if value == value.rounded(), abs(value) < 1e15 {
                self.buffer.writeString(String(Int64(value)))
            } else {
                self.buffer.writeString(String(value))
            }
        } else {
            self.buffer.writeStaticString("null")
        }
        self.atStart = false
    }

    /// An integer array element.
    mutating func integer(_ value: Int64) {
        self.buffer.writeString(String(value))
        self.atStart = false
    }

    mutating func null(_ name: StaticString) {
        self.key(name)
        self.buffer.writeStaticString("null")
        self.atStart = false
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        self.key(name)
        self.beginArray()
        for value in values {
            self.element()
            self.string(value)
        }
        self.endArray()
    }

    mutating func field(_ name: StaticString, _ values: [some JSONResponseBody]) {
        self.key(name)
        self.beginArray()
        for value in values {
            self.element()
            value.write(to: &self)
        }
        self.endArray()
    }

    mutating func field(_ name: StaticString, _ value: some JSONResponseBody) {
        self.key(name)
        value.write(to: &self)
    }

    mutating func string(_ value: String) {
        self.buffer.writeInteger(UInt8(ascii: "\""))
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            self.buffer.writeString(value)
        } else {
            for byte in value.utf8 { self.escape(byte) }
        }
        self.buffer.writeInteger(UInt8(ascii: "\""))
        self.atStart = false
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): self.buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): self.buffer.writeStaticString("\\\\")
        case UInt8(ascii: "\n"): self.buffer.writeStaticString("\\n")
        case UInt8(ascii: "\r"): self.buffer.writeStaticString("\\r")
        case UInt8(ascii: "\t"): self.buffer.writeStaticString("\\t")
        case 0..<0x20:
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            self.buffer.writeStaticString("\\u00")
            self.buffer.writeInteger(digits[Int(byte >> 4)])
            self.buffer.writeInteger(digits[Int(byte & 0xF)])
        default: self.buffer.writeInteger(byte)
        }
    }
}

extension Response {
    /// A JSON response (`application/json`).
    static func json(_ body: some JSONResponseBody, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter()
        body.write(to: &writer)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: writer.buffer))
    }
}
