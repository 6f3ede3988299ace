import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore

/// Request count, errors by status and latency of one method, through swift-metrics (Prometheus
/// in the services). Created once per method, so the request path does no metric lookups.
final class MethodMetrics: Sendable {
    private let method: String
    private let requests: Counter
    private let duration: Timer
    private let errors = NIOLockedValueBox<[RPCStatusCode: Counter]>([:])

    init(method: String) {
        self.method = method
        self.requests = Counter(label: "rpc_server_requests_total", dimensions: [("method", method)])
        self.duration = Timer(label: "rpc_server_duration_seconds", dimensions: [("method", method)])
    }

    func record(code: RPCStatusCode, since start: NIODeadline) {
        self.requests.increment()
        self.duration.recordNanoseconds((NIODeadline.now() - start).nanoseconds)
        guard code != .ok else { return }
        let counter = self.errors.withLockedValue { counters in
            if let counter = counters[code] { return counter }
            let counter = Counter(label: "rpc_server_errors_total", dimensions: [("method", self.method), ("code", "\(code)")])
            counters[code] = counter
            return counter
        }
        counter.increment()
    }
}
