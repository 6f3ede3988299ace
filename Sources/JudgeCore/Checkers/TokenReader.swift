/// Whitespace-separated tokens with the line each starts on (1-based).
struct TokenReader {
    private var bytes: ByteReader
    private var line = 1

    init(_ bytes: ByteReader) {
        self.bytes = bytes
    }

    mutating func next() throws -> (token: [UInt8], line: Int)? {
        while let byte = try self.bytes.peek(), Self.isSpace(byte) {
            if byte == UInt8(ascii: "\n") { self.line += 1 }
            _ = try self.bytes.next()
        }
        guard try self.bytes.peek() != nil else { return nil }
        var token: [UInt8] = []
        while let byte = try self.bytes.peek(), !Self.isSpace(byte) {
            token.append(byte)
            _ = try self.bytes.next()
        }
        return (token, self.line)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}

/// Lines with `\r\n` read as `\n` and trailing whitespace removed.
struct LineReader {
    private var bytes: ByteReader

    init(_ bytes: ByteReader) {
        self.bytes = bytes
    }

    mutating func next() throws -> [UInt8]? {
        guard try self.bytes.peek() != nil else { return nil }
        var line: [UInt8] = []
        while let byte = try self.bytes.next(), byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        while let last = line.last, TokenReader.isSpace(last) { line.removeLast() }
        return line
    }
}
