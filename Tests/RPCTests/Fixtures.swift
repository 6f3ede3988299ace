import AlgoProto
import Glibc
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RPC

let testSecret = PeerAuthenticator(secret: "integration-test-secret-0123456789")
let testLogger: Logger = {
    var logger = Logger(label: "rpc-tests")
    logger.logLevel = .critical
    return logger
}()

/// Counts what handlers saw, so tests can prove a handler ran, finished or was cancelled.
final class HandlerLog: Sendable {
    private let state = NIOLockedValueBox((started: 0, finished: 0, cancelled: 0))
    var started: Int { self.state.withLockedValue { $0.started } }
    var finished: Int { self.state.withLockedValue { $0.finished } }
    var cancelled: Int { self.state.withLockedValue { $0.cancelled } }
    func start() { self.state.withLockedValue { $0.started += 1 } }
    func finish() { self.state.withLockedValue { $0.finished += 1 } }
    func cancel() { self.state.withLockedValue { $0.cancelled += 1 } }
}

/// The Echo service as tests need it: named, observable, optionally forwarding to another server.
struct TestEcho: TestingV1.EchoHandler {
    let name: String
    let log: HandlerLog
    /// Lookup forwards to this client when set (tests of deadline propagation).
    let forward: TestingV1.EchoClient?

    func respond(_ request: TestingV1.EchoRequest, _ context: RPCServerContext) -> TestingV1.EchoResponse {
        var response = TestingV1.EchoResponse()
        response.id = request.id
        response.text = request.text
        response.values = request.values
        response.seenRequestId = context.metadata.requestID ?? ""
        response.seenTraceparent = context.metadata.traceparent ?? ""
        response.seenUserId = context.metadata.userID ?? ""
        response.seenUserRole = context.metadata.userRole ?? ""
        if let deadline = context.deadline {
            response.seenTimeoutMs = (deadline - .now()).nanoseconds / 1_000_000
        }
        response.serverName = self.name
        return response
    }

    func echo(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        self.log.start()
        defer { self.log.finish() }
        return self.respond(request, context)
    }

    func sleep(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        self.log.start()
        do {
            try await Task.sleep(for: .milliseconds(request.sleepMs))
        } catch {
            self.log.cancel()
            throw error
        }
        self.log.finish()
        return self.respond(request, context)
    }

    func fail(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        if request.text == "freeze the event loop" {
            // A peer that is alive at the TCP level but answers nothing, not even PING.
            usleep(UInt32(request.sleepMs) * 1000)
            return self.respond(request, context)
        }
        if request.failCode == 0 { throw SomeInternalError() }
        throw RPCError(RPCStatusCode(rawValue: UInt8(request.failCode)) ?? .unknown, "asked to fail with \(request.failCode)")
    }

    func lookup(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        if let forward {
            return try await forward.echo(request)
        }
        return self.respond(request, context)
    }

    struct SomeInternalError: Error {}
}

/// A real server on 127.0.0.1 with an ephemeral (or given) port.
struct TestServer {
    let server: RPCServer
    let log: HandlerLog
    let port: Int

    static func start(
        name: String = "A",
        port: Int = 0,
        secret: PeerAuthenticator = testSecret,
        forward: TestingV1.EchoClient? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        configure: (inout RPCServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let log = HandlerLog()
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: port, authenticator: secret)
        configure(&configuration)
        let server = RPCServer(
            configuration: configuration,
            services: [TestEcho(name: name, log: log, forward: forward).serviceDefinition],
            group: group,
            logger: testLogger
        )
        let address = try await server.start()
        return TestServer(server: server, log: log, port: address.port!)
    }
}

func makeClient(ports: [Int], secret: PeerAuthenticator = testSecret, configure: (inout RPCClientConfiguration) -> Void = { _ in }) -> RPCClient {
    var configuration = RPCClientConfiguration(
        targets: ports.map { .init(host: "127.0.0.1", port: $0) },
        authenticator: secret
    )
    configuration.backoff.initial = .milliseconds(20)
    configuration.backoff.maximum = .milliseconds(200)
    configure(&configuration)
    return RPCClient(configuration: configuration, logger: testLogger)
}

func echoRequest(_ id: Int64, text: String = "hello", sleepMs: Int64 = 0) -> TestingV1.EchoRequest {
    var request = TestingV1.EchoRequest()
    request.id = id
    request.text = text
    request.values = [1, 2, 3]
    request.sleepMs = sleepMs
    return request
}

/// Polls `condition` until it holds or `timeout` passes (for effects that land asynchronously).
func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
