import AlgoProto
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import RPC

@Suite("RPC over real TCP on 127.0.0.1", .serialized)
struct RPCIntegrationTests {
    @Test("a call round-trips and carries request id, trace context, end user and deadline")
    func roundTrip() async throws {
        let server = try await TestServer.start()
        let client = TestingV1.EchoClient(makeClient(ports: [server.port]))
        defer { Task { await server.server.close() } }
        let metadata = RPCMetadata(
            requestID: "req-1", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", userID: "42", userRole: "staff"
        )
        let response = try await client.echo(echoRequest(9, text: "héllo ✓"), options: RPCCallOptions(timeout: .seconds(5), metadata: metadata))
        #expect(response.id == 9)
        #expect(response.text == "héllo ✓")
        #expect(response.values == [1, 2, 3])
        #expect(response.seenRequestId == "req-1")
        #expect(response.seenTraceparent == metadata.traceparent)
        #expect(response.seenUserId == "42" && response.seenUserRole == "staff")
        #expect(response.seenTimeoutMs > 4000 && response.seenTimeoutMs <= 5000)
    }

    @Test("a DNS name is resolved to every address; the ones that answer are used")
    func dnsTarget() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        var configuration = RPCClientConfiguration(targets: [.init(host: "localhost", port: server.port)], authenticator: testSecret)
        configuration.resolveInterval = .milliseconds(100)
        let rpc = RPCClient(configuration: configuration, logger: testLogger)
        #expect(try await TestingV1.EchoClient(rpc).echo(echoRequest(5)).id == 5)
        #expect(rpc.connectedEndpoints == ["127.0.0.1:\(server.port)"])
        try await Task.sleep(for: .milliseconds(250))  // re-resolved at least once; the connection stays
        #expect(try await TestingV1.EchoClient(rpc).echo(echoRequest(6)).id == 6)
        await rpc.close()
    }

    @Test("an unresolvable name fails with UNAVAILABLE naming it")
    func unresolvable() async throws {
        let rpc = RPCClient(
            configuration: RPCClientConfiguration(targets: [.init(host: "no-such-host.invalid", port: 1)], authenticator: testSecret),
            logger: testLogger
        )
        await #expect { _ = try await TestingV1.EchoClient(rpc).echo(echoRequest(1)) } throws: {
            let error = $0 as? RPCError
            return error?.code == .unavailable && error?.message.contains("no-such-host.invalid") == true
        }
        await rpc.close()
    }

    @Test("responses come back out of order on one connection")
    func outOfOrder() async throws {
        let server = try await TestServer.start()
        let rpc = makeClient(ports: [server.port])
        let client = TestingV1.EchoClient(rpc)
        defer { Task { await server.server.close() } }
        _ = try await client.echo(echoRequest(0))
        let order = OrderRecorder()
        async let slow: Void = {
            _ = try await client.sleep(echoRequest(1, sleepMs: 400))
            order.append(1)
        }()
        try await Task.sleep(for: .milliseconds(50))
        _ = try await client.echo(echoRequest(2))
        order.append(2)
        try await slow
        #expect(order.values == [2, 1])
        #expect(rpc.connectedEndpoints.count == 1, "both calls shared one connection")
    }

    @Test("10,000 concurrent requests across a pool of two servers all succeed, spread over both")
    func tenThousand() async throws {
        let a = try await TestServer.start(name: "A") { $0.maximumConcurrentRequests = 256 }
        let b = try await TestServer.start(name: "B") { $0.maximumConcurrentRequests = 256 }
        defer { Task { await a.server.close(); await b.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [a.port, b.port]))
        let results = try await withThrowingTaskGroup(of: (Int64, String).self) { group in
            for id in 0..<10_000 {
                group.addTask {
                    let response = try await client.echo(echoRequest(Int64(id)))
                    return (response.id, response.serverName)
                }
            }
            var results: [(Int64, String)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(Set(results.map(\.0)).count == 10_000)
        #expect(a.log.finished + b.log.finished == 10_000)
        #expect(a.log.finished > 1000 && b.log.finished > 1000, "A served \(a.log.finished), B \(b.log.finished)")
    }

    @Test("a deadline fails the caller with DEADLINE_EXCEEDED and really cancels the handler")
    func deadline() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [server.port]))
        _ = try await client.echo(echoRequest(0))  // connected, so the deadline is spent on the server
        await #expect {
            _ = try await client.sleep(echoRequest(1, sleepMs: 10_000), options: RPCCallOptions(timeout: .milliseconds(300)))
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        #expect(await eventually { server.log.cancelled == 1 }, "started \(server.log.started) finished \(server.log.finished)")
        #expect(server.log.finished == 1, "only the warm-up echo finished")
    }

    @Test("cancelling the caller's task cancels the server's handler")
    func cancellation() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [server.port]))
        let call = Task { try await client.sleep(echoRequest(1, sleepMs: 10_000)) }
        #expect(await eventually { server.log.started == 1 })
        call.cancel()
        await #expect { try await call.value } throws: { ($0 as? RPCError)?.code == .cancelled }
        #expect(await eventually { server.log.cancelled == 1 })
    }

    @Test("a handler calling another service passes on its remaining budget")
    func budgetPropagation() async throws {
        let downstream = try await TestServer.start(name: "downstream")
        let forwardClient = TestingV1.EchoClient(makeClient(ports: [downstream.port]))
        let upstream = try await TestServer.start(name: "upstream", forward: forwardClient)
        defer { Task { await upstream.server.close(); await downstream.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [upstream.port]))
        let response = try await client.lookup(
            echoRequest(3), options: RPCCallOptions(timeout: .milliseconds(1500), metadata: RPCMetadata(requestID: "chain-7"))
        )
        #expect(response.serverName == "downstream")
        #expect(response.seenRequestId == "chain-7", "metadata flows through the hop")
        #expect(response.seenTimeoutMs > 0 && response.seenTimeoutMs <= 1500, "saw \(response.seenTimeoutMs) ms, not the 30 s default")
    }

    @Test("handler errors map to status codes; unexpected errors become INTERNAL without details")
    func errorMapping() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [server.port]))
        var request = echoRequest(1)
        request.failCode = Int32(RPCStatusCode.notFound.rawValue)
        await #expect { _ = try await client.fail(request) } throws: {
            let error = $0 as? RPCError
            return error?.code == .notFound && error?.message == "asked to fail with 5" && error?.notProcessed == false
        }
        request.failCode = 0
        await #expect { _ = try await client.fail(request) } throws: {
            ($0 as? RPCError) == RPCError(.internal, "internal error")
        }
    }

    @Test("keepalive detects a peer that stopped answering and fails its calls")
    func keepalive() async throws {
        let frozenLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)  // blocked on purpose below
        let server = try await TestServer.start(group: frozenLoop)
        let client = TestingV1.EchoClient(makeClient(ports: [server.port]) {
            $0.keepaliveInterval = .milliseconds(100)
            $0.keepaliveTimeout = .milliseconds(150)
        })
        _ = try await client.echo(echoRequest(1))
        var request = echoRequest(2, text: "freeze the event loop", sleepMs: 2000)
        request.failCode = 0
        let clock = ContinuousClock()
        let started = clock.now
        await #expect { _ = try await client.fail(request, options: RPCCallOptions(timeout: .seconds(30))) } throws: {
            let error = $0 as? RPCError
            return error?.code == .unavailable && error?.message.contains("PING") == true
        }
        #expect(clock.now - started < .seconds(2), "noticed before the peer woke up")
        try await Task.sleep(for: .seconds(2))
        await server.server.close()
        try await frozenLoop.shutdownGracefully()
    }

    @Test("a request over the server's frame limit fails alone, from the connection's loop and from elsewhere")
    func oversizedRequest() async throws {
        let server = try await TestServer.start { $0.maximumFrameLength = 4096 }
        defer { Task { await server.server.close() } }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let rpc = RPCClient(
            configuration: RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: server.port)], authenticator: testSecret),
            group: group,
            logger: testLogger
        )
        defer {
            // The client first: its connections live on the group.
            Task {
                await rpc.close()
                try? await group.shutdownGracefully()
            }
        }
        let client = TestingV1.EchoClient(rpc)
        let huge = echoRequest(1, text: String(repeating: "x", count: 10_000))

        // A caller on the connection's loop encodes in place; any other encodes into its own buffer.
        let onLoop = EventLoopTaskExecutor(eventLoop: group.next())
        for executor in [onLoop, nil] {
            try await withTaskExecutorPreference(executor) { () async throws -> Void in
                await #expect { _ = try await client.echo(huge) } throws: {
                    let error = $0 as? RPCError
                    return error?.code == .resourceExhausted && error?.message.contains("frame limit") == true
                }
                // Nothing of it was sent: the connection still answers, in order.
                for id in Int64(2)...4 {
                    #expect(try await client.echo(echoRequest(id)).id == id)
                }
            }
        }
        #expect(server.log.started == 6)
    }

    @Test("an unknown method gets UNIMPLEMENTED")
    func unknownMethod() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        let health = CommonV1.HealthClient(makeClient(ports: [server.port]))
        await #expect { _ = try await health.check(CommonV1.HealthCheckRequest()) } throws: {
            ($0 as? RPCError)?.code == .unimplemented
        }
    }

    @Test("a peer with the wrong secret is rejected and never reaches a handler")
    func wrongSecret() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.server.close() } }
        let intruder = TestingV1.EchoClient(makeClient(ports: [server.port], secret: PeerAuthenticator(secret: "not-the-cluster-secret-at-all")))
        await #expect { _ = try await intruder.echo(echoRequest(1)) } throws: {
            let error = $0 as? RPCError
            return error?.code == .unavailable && error?.message.contains("authentication") == true
        }
        #expect(server.log.started == 0)
    }

    @Test("with no endpoint up, calls fail fast with UNAVAILABLE instead of waiting for the deadline")
    func failFast() async throws {
        let server = try await TestServer.start()
        let port = server.port
        await server.server.close()
        let client = TestingV1.EchoClient(makeClient(ports: [port]))
        let clock = ContinuousClock()
        let started = clock.now
        await #expect { _ = try await client.echo(echoRequest(1), options: RPCCallOptions(timeout: .seconds(60))) } throws: {
            let error = $0 as? RPCError
            return error?.code == .unavailable && error?.notProcessed == true
        }
        #expect(clock.now - started < .seconds(30), "did not wait for the 60 s deadline")
    }

    @Test("a client recovers by itself after its server restarts")
    func serverRestart() async throws {
        let first = try await TestServer.start(name: "first")
        let port = first.port
        let client = TestingV1.EchoClient(makeClient(ports: [port]))
        #expect(try await client.echo(echoRequest(1)).serverName == "first")
        await first.server.close()
        await #expect(throws: RPCError.self) { _ = try await client.echo(echoRequest(2)) }
        let second = try await TestServer.start(name: "second", port: port)
        defer { Task { await second.server.close() } }
        let recovered = await eventually {
            (try? await client.echo(echoRequest(3)).serverName) == "second"
        }
        #expect(recovered)
    }

    @Test("a drain lets in-flight requests finish while new ones go to the other server")
    func drain() async throws {
        let a = try await TestServer.start(name: "A")
        let b = try await TestServer.start(name: "B")
        defer { Task { await b.server.close() } }
        let client = TestingV1.EchoClient(makeClient(ports: [a.port, b.port]))
        // Warm both connections so that in-flight calls land on A as well.
        for id in 0..<20 { _ = try await client.echo(echoRequest(Int64(id))) }
        let inFlight = (0..<6).map { id in Task { try await client.sleep(echoRequest(Int64(id), sleepMs: 500)) } }
        #expect(await eventually { a.log.started - a.log.finished >= 1 && a.log.started + b.log.started >= 26 })
        let aRunning = a.log.started - a.log.finished
        let aFinishedBefore = a.log.finished
        let drained = Task { await a.server.drain() }
        try await Task.sleep(for: .milliseconds(100))
        for id in 100..<120 {
            #expect(try await client.echo(echoRequest(Int64(id))).serverName == "B")
        }
        for call in inFlight { _ = try await call.value }  // none failed
        await drained.value
        #expect(a.log.cancelled == 0 && a.log.finished >= aFinishedBefore + aRunning)
    }
}

final class OrderRecorder: Sendable {
    private let storage = NIOLockedValueBox<[Int]>([])
    func append(_ value: Int) { self.storage.withLockedValue { $0.append(value) } }
    var values: [Int] { self.storage.withLockedValue { $0 } }
}
