#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 UTC timestamps with milliseconds (`2025-01-31T09:05:00.250Z`), without Foundation's
/// date formatters (costly per call).
enum RFC3339 {
    static func format(milliseconds: Int64) -> String {
        let floored = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        var seconds = time_t(floored)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int32(milliseconds - floored * 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }

    private static func pad(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
