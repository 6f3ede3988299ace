import Testing

@testable import Edge

@Suite struct RequestIdentityTests {
    @Test func requestIDs() {
        #expect(RequestIdentity.accept("abc-DEF_1.2") == "abc-DEF_1.2")
        #expect(RequestIdentity.accept(String(repeating: "x", count: 128)) != nil)
        for bad in [nil, "", String(repeating: "x", count: 129), "a b", "a/b", "a\nb", "é"] as [String?] {
            #expect(RequestIdentity.accept(bad) == nil, "\(bad ?? "nil")")
        }
        let generated = RequestIdentity.generate()
        #expect(generated.count == 32 && RequestIdentity.accept(generated) == generated)
        #expect(RequestIdentity.generate() != generated)
    }

    @Test func traceContextContinuesValidTracesOnly() {
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let (continued, traceID) = TraceContext.continuing(incoming)
        #expect(traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(continued.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        #expect(continued.hasSuffix("-01") && continued != incoming && continued.count == incoming.count)
        #expect(TraceContext.traceID(of: continued) == "4bf92f3577b34da6a3ce929d0e0e4736")

        for invalid in [
            "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ] {
            let (fresh, freshID) = TraceContext.continuing(invalid)
            #expect(TraceContext.traceID(of: fresh) == freshID && !fresh.contains("4bf92f3577b34da6a3ce929d0e0e4736"), "\(invalid)")
        }
        // A future version may add fields; its trace is continued.
        #expect(TraceContext.continuing("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what").traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext.traceID(of: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x") == nil)
        // Ids never repeat and span ids are never all zeros.
        let ids = (0..<1000).map { _ in IDSource.shared.next64() }
        #expect(Set(ids).count == 1000 && !ids.contains("0000000000000000"))
    }
}
