import AlgoProto
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import RPC

/// Drives one server connection byte by byte through an EmbeddedChannel, as a hostile or broken peer would.
final class EmbeddedPeer {
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let authenticator = PeerAuthenticator(secret: "embedded-test-secret-0123456789")
    var decoder = RPCFrameDecoder(maximumFrameLength: 1 << 20)
    var received = ByteBuffer()

    init(maximumConcurrentRequests: UInt32 = 16, services: [RPCServiceDefinition] = [StubEcho().serviceDefinition]) throws {
        self.loop = EmbeddedEventLoop()
        self.channel = EmbeddedChannel(loop: self.loop)
        var configuration = RPCServerConfiguration(port: 0, authenticator: self.authenticator)
        configuration.maximumConcurrentRequests = maximumConcurrentRequests
        configuration.maximumFrameLength = 64 << 10
        try self.channel.pipeline.syncOperations.addHandler(
            ServerConnectionHandler(configuration: configuration, router: RPCRouter(services: services), logger: Logger(label: "test"))
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func send(_ bytes: ByteBuffer) {
        _ = try? self.channel.writeInbound(bytes)
        self.loop.run()
    }

    func send(_ frame: RPCFrame) {
        var buffer = ByteBuffer()
        buffer.writeRPCFrame(frame)
        self.send(buffer)
    }

    /// Every frame the server wrote so far.
    func frames() throws -> [RPCFrame] {
        self.loop.run()
        while let chunk = try self.channel.readOutbound(as: ByteBuffer.self) {
            var chunk = chunk
            self.received.writeBuffer(&chunk)
        }
        var frames: [RPCFrame] = []
        while let frame = try self.decoder.decode(buffer: &self.received) { frames.append(frame) }
        return frames
    }

    /// Completes the handshake as a well-behaved client.
    func handshake() throws {
        let nonce = PeerAuthenticator.randomNonce()
        self.send(RPCFrame(type: .hello, payload: Handshake.ClientHello(maximumFrameLength: 1 << 20, nonce: nonce).encode()))
        let hello = try #require(try self.frames().first)
        let serverHello = try Handshake.ServerHello.decode(hello.payload)
        var proof = ByteBuffer()
        proof.writeBytes(self.authenticator.clientProof(clientNonce: nonce, serverNonce: serverHello.nonce))
        self.send(RPCFrame(type: .auth, payload: proof))
        #expect(try self.frames().map(\.type) == [.ready])
    }

    func request(_ stream: UInt32, method: String, body: ByteBuffer = ByteBuffer()) -> RPCFrame {
        var payload = ByteBuffer()
        RequestHead(method: method, timeoutMilliseconds: 0, metadata: RPCMetadata()).write(to: &payload)
        var body = body
        payload.writeBuffer(&body)
        return RPCFrame(type: .request, streamID: stream, payload: payload)
    }

    /// The single ERROR frame that must precede the close, and the closed state.
    func expectClosed(with reason: RPCConnectionError.Reason, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let frames = try self.frames()
        let error = frames.last.map { RPCConnectionError.decode($0.payload) }
        #expect(frames.last?.type == .error, sourceLocation: sourceLocation)
        #expect(error?.reason == reason, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(!self.channel.isActive, "connection must be closed", sourceLocation: sourceLocation)
    }
}

/// Echo that answers at once, or blocks in Sleep until cancelled.
struct StubEcho: TestingV1.EchoHandler {
    func echo(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        var response = TestingV1.EchoResponse()
        response.id = request.id
        response.text = request.text
        return response
    }
    func sleep(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        try await Task.sleep(for: .seconds(60))
        return TestingV1.EchoResponse()
    }
    func fail(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        throw RPCError(RPCStatusCode(rawValue: UInt8(request.failCode)) ?? .unknown, "asked to fail")
    }
    func lookup(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        try await self.echo(request, context: context)
    }
}

@Suite("Server connection against malformed and hostile input")
struct ServerConnectionTests {
    var method: String { TestingV1.Echo.echo.path }

    @Test("a well-formed request after the handshake is answered")
    func happyPath() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        var request = TestingV1.EchoRequest()
        request.id = 7
        request.text = "hi"
        peer.send(peer.request(1, method: self.method, body: request.encoded()))
        let response = try #require(try peer.frames().first)
        #expect(response.type == .response && response.streamID == 1)
        var payload = response.payload
        #expect(try ResponseHead.read(from: &payload).code == .ok)
        #expect(try TestingV1.EchoResponse(decoding: payload).text == "hi")
    }

    @Test("a large batch of answers leaves in parts of about 4 KB, not in one write at the batch's end")
    func largeBatchFlushesEarly() throws {
        let peer = try EmbeddedPeer(maximumConcurrentRequests: 256)
        try peer.handshake()
        var request = TestingV1.EchoRequest()
        request.text = String(repeating: "x", count: 100)
        var batch = ByteBuffer()
        for id in UInt32(1)...100 { batch.writeRPCFrame(peer.request(id, method: self.method, body: request.encoded())) }
        _ = try peer.channel.writeInbound(batch)  // one read of 100 requests
        var chunks: [ByteBuffer] = []
        while let chunk = try peer.channel.readOutbound(as: ByteBuffer.self) { chunks.append(chunk) }
        // Flushed whole, the 100 answers (about 14 KB) would be one buffer.
        #expect(chunks.count >= 3)
        for chunk in chunks.dropLast() {
            #expect(chunk.readableBytes >= FrameWriter.eagerFlushBytes)
            #expect(chunk.readableBytes < FrameWriter.eagerFlushBytes + 256)
        }
        for chunk in chunks {
            var chunk = chunk
            peer.received.writeBuffer(&chunk)
        }
        let frames = try peer.frames()
        #expect(frames.map(\.streamID) == Array(UInt32(1)...100))
        #expect(frames.allSatisfy { $0.type == .response })
    }

    @Test("wrong magic closes with badMagic")
    func wrongMagic() throws {
        let peer = try EmbeddedPeer()
        var hello = Handshake.ClientHello(maximumFrameLength: 1024, nonce: PeerAuthenticator.randomNonce()).encode()
        hello.setInteger(UInt32(0xDEAD_BEEF), at: 0)
        peer.send(RPCFrame(type: .hello, payload: hello))
        try peer.expectClosed(with: .badMagic)
    }

    @Test("another major version closes with unsupportedVersion")
    func wrongVersion() throws {
        let peer = try EmbeddedPeer()
        var hello = Handshake.ClientHello(maximumFrameLength: 1024, nonce: PeerAuthenticator.randomNonce())
        hello.major = 9
        peer.send(RPCFrame(type: .hello, payload: hello.encode()))
        try peer.expectClosed(with: .unsupportedVersion)
    }

    @Test("a wrong proof closes with authenticationFailed and no request is ever served")
    func badAuthentication() throws {
        let peer = try EmbeddedPeer()
        peer.send(RPCFrame(type: .hello, payload: Handshake.ClientHello(maximumFrameLength: 1024, nonce: PeerAuthenticator.randomNonce()).encode()))
        _ = try peer.frames()
        peer.send(RPCFrame(type: .auth, payload: ByteBuffer(bytes: [UInt8](repeating: 0, count: 32))))
        try peer.expectClosed(with: .authenticationFailed)
    }

    @Test("a request before the handshake closes with unexpectedFrame")
    func requestBeforeHandshake() throws {
        let peer = try EmbeddedPeer()
        peer.send(peer.request(1, method: self.method))
        try peer.expectClosed(with: .unexpectedFrame)
    }

    @Test("a duplicate (or non-increasing) stream id closes with duplicateStreamID")
    func duplicateStream() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(peer.request(5, method: TestingV1.Echo.sleep.path))
        peer.send(peer.request(5, method: TestingV1.Echo.sleep.path))
        try peer.expectClosed(with: .duplicateStreamID)
    }

    @Test("an unknown frame type closes with unknownFrameType")
    func unknownType() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(ByteBuffer(bytes: [0, 0, 0, 6, 0x55, 0, 0, 0, 0, 1]))
        try peer.expectClosed(with: .unknownFrameType)
    }

    @Test("an oversized length closes with frameSize before the body arrives")
    func oversized() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x00]))  // 1 MiB > the 64 KiB limit
        try peer.expectClosed(with: .frameSize)
    }

    @Test("during the handshake even a modest frame is too large")
    func oversizedBeforeHandshake() throws {
        let peer = try EmbeddedPeer()
        peer.send(ByteBuffer(bytes: [0x47, 0x45, 0x54, 0x20]))  // "GET " from an HTTP client
        try peer.expectClosed(with: .frameSize)
    }

    @Test("a zero length closes with frameSize")
    func zeroLength() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(ByteBuffer(bytes: [0, 0, 0, 0]))
        try peer.expectClosed(with: .frameSize)
    }

    @Test("a malformed request head closes with malformedFrame")
    func malformedHead() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(RPCFrame(type: .request, streamID: 1, payload: ByteBuffer(bytes: [0xFF, 0xFF, 1])))
        try peer.expectClosed(with: .malformedFrame)
    }

    @Test("garbage protobuf gets INVALID_ARGUMENT for that request; the connection stays usable")
    func garbageProtobuf() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(peer.request(1, method: self.method, body: ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12])))
        let frame = try #require(try peer.frames().first)
        var payload = frame.payload
        #expect(try ResponseHead.read(from: &payload).code == .invalidArgument)
        #expect(peer.channel.isActive)
        peer.send(peer.request(2, method: self.method, body: TestingV1.EchoRequest().encoded()))
        #expect(try peer.frames().first?.streamID == 2)
    }

    @Test("an unknown method gets UNIMPLEMENTED, marked not processed")
    func unknownMethod() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(peer.request(1, method: CommonV1.Health.check.path))
        let frame = try #require(try peer.frames().first)
        var payload = frame.payload
        #expect(try ResponseHead.read(from: &payload).code == .unimplemented)
        #expect(frame.flags.contains(.notProcessed))
    }

    @Test("methods alternating on one connection each reach their own handler (the last-route cache)")
    func alternatingMethods() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        var request = TestingV1.EchoRequest()
        request.text = "hi"
        request.failCode = Int32(RPCStatusCode.notFound.rawValue)
        let sequence: [(String, RPCStatusCode)] = [
            (TestingV1.Echo.echo.path, .ok), (TestingV1.Echo.echo.path, .ok),
            (TestingV1.Echo.fail.path, .notFound), (CommonV1.Health.check.path, .unimplemented),
            (TestingV1.Echo.echo.path, .ok), ("algosports.testing.v1.Echo/Ech", .unimplemented),
            (TestingV1.Echo.fail.path, .notFound), (TestingV1.Echo.echo.path, .ok),
        ]
        for (index, (method, expected)) in sequence.enumerated() {
            let stream = UInt32(index + 1)
            peer.send(peer.request(stream, method: method, body: request.encoded()))
            let frame = try #require(try peer.frames().first, "request \(stream)")
            #expect(frame.streamID == stream)
            var payload = frame.payload
            #expect(try ResponseHead.read(from: &payload).code == expected, "request \(stream) to \(method)")
            if expected == .ok {
                #expect(try TestingV1.EchoResponse(decoding: payload).text == "hi")
            }
        }
    }

    @Test("requests beyond the concurrency cap get RESOURCE_EXHAUSTED, not processed")
    func concurrencyCap() throws {
        let peer = try EmbeddedPeer(maximumConcurrentRequests: 2)
        try peer.handshake()
        for id in UInt32(1)...3 { peer.send(peer.request(id, method: TestingV1.Echo.sleep.path)) }
        let frames = try peer.frames()
        #expect(frames.count == 1)
        #expect(frames.first?.streamID == 3)
        #expect(frames.first?.flags.contains(.notProcessed) == true)
        var payload = frames.first!.payload
        #expect(try ResponseHead.read(from: &payload).code == .resourceExhausted)
        #expect(peer.channel.isActive)
    }

    @Test("PING is answered with PONG carrying the same bytes")
    func ping() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(RPCFrame(type: .ping, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])))
        let frame = try #require(try peer.frames().first)
        #expect(frame.type == .pong && Array(frame.payload.readableBytesView) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("drain sends GOAWAY with the last accepted id and refuses later ids as not processed")
    func drain() throws {
        let peer = try EmbeddedPeer()
        try peer.handshake()
        peer.send(peer.request(3, method: TestingV1.Echo.sleep.path))
        peer.channel.pipeline.fireUserInboundEventTriggered(RPCDrainEvent())
        let goAway = try #require(try peer.frames().first)
        #expect(goAway.type == .goAway)
        #expect(try GoAway.decode(goAway.payload).lastStreamID == 3)
        peer.send(peer.request(4, method: self.method))
        let refused = try #require(try peer.frames().first)
        var payload = refused.payload
        #expect(refused.streamID == 4 && refused.flags.contains(.notProcessed))
        #expect(try ResponseHead.read(from: &payload).code == .unavailable)
        #expect(peer.channel.isActive, "stream 3 is still running")
    }
}
