import ServiceKit
import Testing

@testable import Edge

@Suite struct ClientAddressTests {
    @Test func forwardedForIsIgnoredUnlessThePeerIsTrusted() throws {
        let none = try TrustedProxies(parsing: "")
        #expect(none.clientAddress(peer: "10.0.0.5", forwardedFor: ["1.2.3.4"]) == "10.0.0.5")
        #expect(none.clientAddress(peer: nil, forwardedFor: []) == "unknown")

        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.1, fd00::/8")
        #expect(proxies.contains("10.200.3.4") && proxies.contains("192.168.1.1") && proxies.contains("fd12::1"))
        #expect(!proxies.contains("192.168.1.2") && !proxies.contains("11.0.0.1") && !proxies.contains("fe80::1") && !proxies.contains("junk"))
        // The right-most address that is not a proxy: entries left of it were written by the client.
        #expect(proxies.clientAddress(peer: "10.0.0.5", forwardedFor: ["6.6.6.6, 1.2.3.4, 10.1.1.1"]) == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "10.0.0.5", forwardedFor: ["6.6.6.6", "1.2.3.4"]) == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "10.0.0.5", forwardedFor: []) == "10.0.0.5")
        #expect(proxies.clientAddress(peer: "10.0.0.5", forwardedFor: ["not-an-ip"]) == "10.0.0.5")
        #expect(proxies.clientAddress(peer: "8.8.8.8", forwardedFor: ["1.2.3.4"]) == "8.8.8.8")
    }

    @Test func invalidSettingsAreRefused() {
        for bad in ["10.0.0.0/33", "nonsense", "::1/129", "1.2.3.4/x"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try TrustedProxies(parsing: bad) }
        }
    }
}
