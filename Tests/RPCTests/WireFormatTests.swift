import NIOCore
import Testing

@testable import RPC

@Suite("Wire messages")
struct WireFormatTests {
    @Test("request heads round-trip and skip unknown metadata keys")
    func requestHead() throws {
        let head = RequestHead(
            method: "algosports.testing.v1.Echo/Echo",
            timeoutMilliseconds: 1500,
            metadata: RPCMetadata(requestID: "r-1", traceparent: "00-abc-def-01", userID: "42", userRole: "admin")
        )
        var buffer = ByteBuffer()
        head.write(to: &buffer)
        buffer.writeBytes([9, 9])  // message body
        var copy = buffer
        #expect(try RequestHead.read(from: &copy) == head)
        #expect(Array(copy.readableBytesView) == [9, 9])

        // An unknown key 99 from a newer peer is skipped.
        var extended = ByteBuffer()
        extended.writeInteger(UInt16(1))
        extended.writeString("m")
        extended.writeInteger(UInt32(0))
        extended.writeInteger(UInt8(2))
        extended.writeMultipleIntegers(UInt8(99), UInt16(3))
        extended.writeString("xyz")
        extended.writeMultipleIntegers(UInt8(1), UInt16(2))
        extended.writeString("id")
        let parsed = try RequestHead.read(from: &extended)
        #expect(parsed.metadata == RPCMetadata(requestID: "id"))
    }

    @Test("metadata is a value: a copy changed later leaves the original as it was")
    func metadataValueSemantics() {
        let original = RPCMetadata(requestID: "r-1", userID: "42")
        var copy = original
        copy.userRole = "admin"
        copy.requestID = nil
        #expect(original.requestID == "r-1" && original.userRole == nil && original.userID == "42")
        #expect(copy.requestID == nil && copy.userRole == "admin" && copy.userID == "42")
        #expect(copy != original)

        var empty = RPCMetadata()
        #expect(empty == RPCMetadata(requestID: nil))
        empty.traceparent = "00-abc-def-01"
        #expect(RPCMetadata().traceparent == nil)
        #expect(empty == RPCMetadata(traceparent: "00-abc-def-01"))
        #expect(Set([empty, RPCMetadata(traceparent: "00-abc-def-01"), original]).count == 2)

        // Set back to empty, it equals metadata that never had a value.
        empty.traceparent = nil
        #expect(empty == RPCMetadata())
        #expect(empty.hashValue == RPCMetadata().hashValue)
    }

    @Test("truncated request heads are malformed, at every offset")
    func truncatedHead() {
        let head = RequestHead(method: "a.B/C", timeoutMilliseconds: 5, metadata: RPCMetadata(requestID: "abc"))
        var buffer = ByteBuffer()
        head.write(to: &buffer)
        for cut in 0..<buffer.readableBytes {
            var prefix = buffer.getSlice(at: 0, length: cut)!
            #expect(throws: RPCConnectionError.self, "offset \(cut)") { _ = try RequestHead.read(from: &prefix) }
        }
    }

    @Test("handshake HELLO rejects a wrong magic and another major version")
    func hello() throws {
        let hello = Handshake.ClientHello(maximumFrameLength: 1 << 20, nonce: Array(repeating: 7, count: 32))
        #expect(try Handshake.ClientHello.decode(hello.encode()) == hello)

        var wrongMagic = hello.encode()
        wrongMagic.setInteger(UInt32(0x4854_5450), at: 0)  // "HTTP"
        #expect { _ = try Handshake.ClientHello.decode(wrongMagic) } throws: {
            ($0 as? RPCConnectionError)?.reason == .badMagic
        }

        var wrongVersion = hello.encode()
        wrongVersion.setInteger(UInt8(2), at: 4)
        #expect { _ = try Handshake.ClientHello.decode(wrongVersion) } throws: {
            ($0 as? RPCConnectionError)?.reason == .unsupportedVersion
        }
    }

    @Test("proofs depend on the secret, the role and both nonces")
    func proofs() {
        let a = PeerAuthenticator(secret: "correct horse battery staple")
        let b = PeerAuthenticator(secret: "correct horse battery stapler")
        let client = Array(repeating: UInt8(1), count: 32)
        let server = Array(repeating: UInt8(2), count: 32)
        #expect(PeerAuthenticator.matches(a.clientProof(clientNonce: client, serverNonce: server), a.clientProof(clientNonce: client, serverNonce: server)))
        #expect(!PeerAuthenticator.matches(a.clientProof(clientNonce: client, serverNonce: server), b.clientProof(clientNonce: client, serverNonce: server)))
        #expect(!PeerAuthenticator.matches(a.clientProof(clientNonce: client, serverNonce: server), a.serverProof(clientNonce: client, serverNonce: server)))
        #expect(!PeerAuthenticator.matches(a.clientProof(clientNonce: client, serverNonce: server), a.clientProof(clientNonce: server, serverNonce: client)))
        #expect(!PeerAuthenticator.matches([], []))
    }

    @Test("keepalive pings after silence and gives up after the timeout")
    func keepalive() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var keepalive = Keepalive(interval: .seconds(10), timeout: .seconds(5), now: start)
        #expect(keepalive.tick(now: start + .seconds(9)) == .none)
        #expect(keepalive.tick(now: start + .seconds(10)) == .sendPing)
        #expect(keepalive.tick(now: start + .seconds(12)) == .none)
        keepalive.heard(now: start + .seconds(13))
        #expect(keepalive.tick(now: start + .seconds(22)) == .none)
        #expect(keepalive.tick(now: start + .seconds(23)) == .sendPing)
        #expect(keepalive.tick(now: start + .seconds(28)) == .close)
    }

    @Test("backoff grows, is capped and jittered")
    func backoff() {
        let backoff = RPCClientConfiguration.Backoff()
        #expect(backoff.delay(afterFailures: 0) == .zero)
        let first = backoff.delay(afterFailures: 1).nanoseconds
        #expect(first >= 80_000_000 && first <= 120_000_000)
        let late = backoff.delay(afterFailures: 50).nanoseconds
        #expect(late <= 6_000_000_000 && late >= 4_000_000_000)
    }

    @Test("retry policy: only unprocessed calls, or idempotent ones that lost their connection")
    func retryPolicy() {
        #expect(RPCClient.isRetryable(RPCError(.unavailable, "", notProcessed: true), idempotent: false))
        #expect(!RPCClient.isRetryable(RPCError(.unavailable, ""), idempotent: false))
        #expect(RPCClient.isRetryable(RPCError(.unavailable, ""), idempotent: true))
        #expect(RPCClient.isRetryable(RPCError(.resourceExhausted, "", notProcessed: true), idempotent: false))
        #expect(!RPCClient.isRetryable(RPCError(.internal, ""), idempotent: true))
        #expect(!RPCClient.isRetryable(RPCError(.deadlineExceeded, "", notProcessed: true), idempotent: true))
        #expect(!RPCClient.isRetryable(RPCError(.unimplemented, "", notProcessed: true), idempotent: true))
    }

    @Test("addresses parse as host:port lists")
    func addresses() throws {
        let auth = PeerAuthenticator(secret: "x")
        let config = try RPCClientConfiguration(addresses: "users:7001, 10.0.0.2:7002,[::1]:7003", authenticator: auth)
        #expect(config.targets.map(\.description) == ["users:7001", "10.0.0.2:7002", "::1:7003"])
        #expect(throws: RPCError.self) { try RPCClientConfiguration(addresses: "users", authenticator: auth) }
        #expect(throws: RPCError.self) { try RPCClientConfiguration(addresses: "users:0", authenticator: auth) }
        #expect(throws: RPCError.self) { try RPCClientConfiguration(addresses: "", authenticator: auth) }
    }
}
