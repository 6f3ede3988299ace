import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let traceparent = HTTPField.Name("traceparent")!
    /// nginx holds a streamed response back unless told not to (event streams).
    static let xAccelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

/// Request ids: a client's own is kept when it is short and plain (it goes into logs and
/// headers), otherwise a new one is made.
enum RequestIdentity {
    static func accept(_ candidate: String?) -> String? {
        guard let candidate, (1...128).contains(candidate.utf8.count),
              candidate.utf8.allSatisfy({ isAllowed($0) })
        else { return nil }
        return candidate
    }

    /// 32 hex digits, unique per process and unpredictable across processes, without a
    /// system call per request.
    static func generate() -> String { IDSource.shared.next128() }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

/// W3C trace context (`traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`).
enum TraceContext {
    /// The traceparent for calls made while serving a request, and its trace id: the caller's
    /// trace with a new span id for this hop, or a new sampled trace when the header is absent or invalid.
    static func continuing(_ incoming: String?) -> (traceparent: String, traceID: Substring) {
        let span = IDSource.shared.next64()
        if let incoming, let (traceID, flags) = parse(incoming) {
            return ("00-\(traceID)-\(span)-\(flags)", traceID)
        }
        let traceID = IDSource.shared.next128()
        return ("00-\(traceID)-\(span)-01", traceID[...])
    }

    static func traceID(of traceparent: String) -> Substring? {
        parse(traceparent)?.traceID
    }

    /// Version 00 has exactly four fields; later versions may append more after a '-'.
    private static func parse(_ header: String) -> (traceID: Substring, flags: Substring)? {
        let bytes = header.utf8
        guard bytes.count >= 55 else { return nil }
        let version = header.prefix(2)
        guard version != "ff", isHex(version), at(header, 2) == "-", at(header, 35) == "-", at(header, 52) == "-" else { return nil }
        if version == "00" ? bytes.count != 55 : (bytes.count > 55 && at(header, 55) != "-") { return nil }
        let traceID = slice(header, 3, 35)
        let spanID = slice(header, 36, 52)
        let flags = slice(header, 53, 55)
        guard isHex(traceID), isHex(spanID), isHex(flags),
              traceID.utf8.contains(where: { $0 != UInt8(ascii: "0") }), spanID.utf8.contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        return (traceID, flags)
    }

    private static func at(_ text: String, _ offset: Int) -> Character? {
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return Character(UnicodeScalar(text.utf8[index]))
    }

    private static func slice(_ text: String, _ from: Int, _ to: Int) -> Substring {
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: from)
        let end = text.utf8.index(text.utf8.startIndex, offsetBy: to)
        return text[start..<end]
    }

    private static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
