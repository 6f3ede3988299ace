#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ServiceKit

/// Proxies (IP addresses or CIDR ranges) whose `X-Forwarded-For` is believed. Empty by default:
/// a client could otherwise pick any address and dodge the per-IP rate limits.
struct TrustedProxies: Sendable {
    private var ranges: [(network: [UInt8], prefix: Int)] = []

    init(parsing text: String) throws {
        for entry in EdgeConfiguration.list(text) {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let network = IPAddressBytes.parse(String(parts[0])) else {
                throw ConfigurationError(variable: "TRUSTED_PROXIES", problem: "\"\(entry)\" is not an IP address or CIDR range")
            }
            let bits = network.count * 8
            var prefix = bits
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...bits).contains(value) else {
                    throw ConfigurationError(variable: "TRUSTED_PROXIES", problem: "\"\(entry)\" has an invalid prefix length")
                }
                prefix = value
            }
            self.ranges.append((network, prefix))
        }
    }

    var isEmpty: Bool { self.ranges.isEmpty }

    func contains(_ address: String) -> Bool {
        guard !self.ranges.isEmpty, let bytes = IPAddressBytes.parse(address) else { return false }
        return self.ranges.contains { range in
            range.network.count == bytes.count && IPAddressBytes.samePrefix(range.network, bytes, bits: range.prefix)
        }
    }

    /// The client's address: the peer, or, when the peer is a trusted proxy, the right-most
    /// `X-Forwarded-For` entry that is not itself a trusted proxy (the left ones are client-supplied).
    func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard self.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.filter { !$0.isWhitespace } }
        for hop in hops.reversed() where !hop.isEmpty {
            guard IPAddressBytes.parse(hop) != nil else { return peer }
            if !self.contains(hop) { return hop }
        }
        return peer
    }
}

/// IPv4 and IPv6 text to network-order bytes (inet_pton), for prefix comparisons.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func samePrefix(_ a: [UInt8], _ b: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        var index = 0
        while remaining > 0, index < a.count {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if a[index] & mask != b[index] & mask { return false }
            remaining -= 8
            index += 1
        }
        return true
    }
}
