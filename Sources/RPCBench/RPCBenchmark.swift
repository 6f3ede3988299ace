import AlgoProto
import Logging
import NIOCore
import NIOPosix
import RPC
#if canImport(Glibc)
import Glibc
#endif

// `make bench-rpc`: our RPC against a raw SwiftNIO echo of the same bytes, measured in one run.
// Both use one server event loop and one client event loop on this machine's 2 cores.

struct BenchEcho: TestingV1.EchoHandler {
    func echo(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        var response = TestingV1.EchoResponse()
        response.id = request.id
        response.text = request.text
        response.requestId = request.requestId
        response.values = request.values
        response.score = request.score
        response.flag = request.flag
        return response
    }
    func sleep(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        try await self.echo(request, context: context)
    }
    func fail(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        throw RPCError(.internal, "benchmark")
    }
    func lookup(_ request: TestingV1.EchoRequest, context: RPCServerContext) async throws -> TestingV1.EchoResponse {
        try await self.echo(request, context: context)
    }
}

struct Measurement {
    var p50: Double  // µs
    var p99: Double  // µs
    var throughput: Double  // req/s
    var cpu: Double  // µs of process CPU (user + system, both sides) per request in the throughput run
}

/// CPU time of the whole process so far, in µs: both event loops, kernel work included.
func processCPU() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func micros(_ t: timeval) -> Double { Double(t.tv_sec) * 1e6 + Double(t.tv_usec) }
    return micros(usage.ru_utime) + micros(usage.ru_stime)
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

@main
struct RPCBenchmark {
    static func main() async throws {
        try await self.run()
    }

    /// Off the main actor: callers must not hop to the main thread between calls.
    nonisolated static func run() async throws {
        let arguments = CommandLine.arguments
        let sequentialCount = arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
        let throughputCount = arguments.count > 2 ? Int(arguments[2]) ?? 300_000 : 300_000
        let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
        let window = 64

        let request: TestingV1.EchoRequest = {
            var request = TestingV1.EchoRequest()
            request.id = 1_234_567_890
            request.text = "connect-four move 4 by bot #1873"
            request.requestId = "0af7651916cd43dd8448eb211c80319c"
            request.values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
            request.score = 1464.06
            request.flag = true
            return request
        }()
        let payload = request.encoded()

        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "bench")
        logger.logLevel = .error

        // Raw echo.
        let rawServer = try await RawEcho.startServer(group: serverGroup)
        let rawPort = rawServer.localAddress!.port!
        func measureRaw() async throws -> Measurement {
            let sequential = try await RawEcho.run(port: rawPort, payload: payload, window: 1, total: sequentialCount, group: clientGroup).sorted()
            let cpu = processCPU()
            let start = DispatchTimeNow()
            _ = try await RawEcho.run(port: rawPort, payload: payload, window: window, total: throughputCount, group: clientGroup)
            let seconds = Double(DispatchTimeNow() - start) / 1e9
            return Measurement(
                p50: percentile(sequential, 0.5), p99: percentile(sequential, 0.99),
                throughput: Double(throughputCount) / seconds, cpu: (processCPU() - cpu) / Double(throughputCount)
            )
        }

        // Our RPC.
        let secret = PeerAuthenticator(secret: "benchmark-secret-0123456789abcdef")
        var serverConfiguration = RPCServerConfiguration(host: "127.0.0.1", port: 0, authenticator: secret)
        if getenv("BENCH_HANDLERS").map({ String(cString: $0) }) == "global" { serverConfiguration.handlerExecution = .globalConcurrentExecutor }
        let server = RPCServer(
            configuration: serverConfiguration,
            services: [BenchEcho().serviceDefinition],
            group: serverGroup,
            logger: logger
        )
        let rpcPort = try await server.start().port!
        let rpc = RPCClient(
            configuration: RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: rpcPort)], authenticator: secret),
            group: clientGroup,
            logger: logger
        )
        let client = TestingV1.EchoClient(rpc)
        _ = try await client.echo(request)

        // Callers run on the client connection's event loop, as handlers calling other services do when
        // they share a loop with their outgoing connection: no thread hop between caller and connection.
        let callerExecutor = EventLoopTaskExecutor(eventLoop: clientGroup.next())

        func measureRPC() async throws -> Measurement {
            var sequential: [UInt64] = []
            sequential.reserveCapacity(sequentialCount)
            try await withTaskExecutorPreference(callerExecutor) {
                for _ in 0..<sequentialCount {
                    let start = DispatchTimeNow()
                    _ = try await client.echo(request)
                    sequential.append(DispatchTimeNow() - start)
                }
            }
            sequential.sort()
            let cpu = processCPU()
            let start = DispatchTimeNow()
            try await withThrowingTaskGroup(of: Void.self) { group in
                let perTask = throughputCount / window
                for _ in 0..<window {
                    group.addTask(executorPreference: callerExecutor) {
                        for _ in 0..<perTask { _ = try await client.echo(request) }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = Double(DispatchTimeNow() - start) / 1e9
            let total = Double(throughputCount / window * window)
            return Measurement(
                p50: percentile(sequential, 0.5), p99: percentile(sequential, 0.99),
                throughput: total / seconds, cpu: (processCPU() - cpu) / total
            )
        }

        // Warm up both, then alternate rounds so that noise hits both alike; report medians. The
        // targets use the median of each round's paired ratio: the raw echo alone swings by ±30%
        // between rounds on these shared machines, and a pair shares the machine's state.
        _ = try await RawEcho.run(port: rawPort, payload: payload, window: window, total: 20_000, group: clientGroup)
        for _ in 0..<2_000 { _ = try await client.echo(request) }
        var raw: [Measurement] = []
        var ours: [Measurement] = []
        for _ in 0..<rounds {
            raw.append(try await measureRaw())
            ours.append(try await measureRPC())
        }

        func summary(_ runs: [Measurement]) -> Measurement {
            Measurement(
                p50: median(runs.map(\.p50)), p99: median(runs.map(\.p99)),
                throughput: median(runs.map(\.throughput)), cpu: median(runs.map(\.cpu))
            )
        }
        let rawResult = summary(raw)
        let ourResult = summary(ours)

        func format(_ value: Double, _ decimals: Int = 1) -> String {
            var scaled = value
            for _ in 0..<decimals { scaled *= 10 }
            let rounded = Int(scaled.rounded())
            guard decimals > 0 else { return String(rounded) }
            var text = String(rounded)
            while text.count <= decimals { text = "0" + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
            return text
        }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

        print("RPC benchmark: \(payload.readableBytes)-byte EchoRequest, 1 server loop + 1 client loop, median of \(rounds) rounds")
        print("  \(sequentialCount) sequential calls for latency; \(throughputCount) calls with \(window) in flight on one connection")
        print("")
        print("                     seq p50 (µs)   seq p99 (µs)    req/s @\(window)   CPU µs/req @\(window)")
        print("raw NIO echo       \(pad(format(rawResult.p50), 13))  \(pad(format(rawResult.p99), 13))  \(pad(format(rawResult.throughput, 0), 12))  \(pad(format(rawResult.cpu, 2), 19))")
        print("AlgoSports RPC     \(pad(format(ourResult.p50), 13))  \(pad(format(ourResult.p99), 13))  \(pad(format(ourResult.throughput, 0), 12))  \(pad(format(ourResult.cpu, 2), 19))")
        print("ratio of medians   \(pad(format(ourResult.p50 / rawResult.p50, 2) + "x", 13))  \(pad(format(ourResult.p99 / rawResult.p99, 2) + "x", 13))  \(pad(format(ourResult.throughput / rawResult.throughput, 2) + "x", 12))  \(pad(format(ourResult.cpu / rawResult.cpu, 2) + "x", 19))")
        print("")
        for (index, (r, o)) in zip(raw, ours).enumerated() {
            print("round \(index + 1): raw \(format(r.throughput, 0)) req/s, ours \(format(o.throughput, 0)) req/s (\(format(o.throughput / r.throughput, 2))x); p50 raw \(format(r.p50)) µs, ours \(format(o.p50)) µs (\(format(o.p50 / r.p50, 2))x)")
        }
        let latencyRatio = median(zip(raw, ours).map { $1.p50 / $0.p50 })
        let throughputRatio = median(zip(raw, ours).map { $1.throughput / $0.throughput })
        print("median of the \(rounds) paired ratios: throughput \(format(throughputRatio, 2))x, p50 \(format(latencyRatio, 2))x")
        print("")
        print("target throughput >= 0.25 x raw: \(throughputRatio >= 0.25 ? "met" : "MISSED") (\(format(throughputRatio, 3)))")
        print("target p50 <= 2 x raw p50:       \(latencyRatio <= 2 ? "met" : "MISSED") (\(format(latencyRatio, 3)))")

        await rpc.close()
        await server.close()
        try await rawServer.close()
        try await serverGroup.shutdownGracefully()
        try await clientGroup.shutdownGracefully()
    }
}
