import AlgoProto
import NIOConcurrencyHelpers
import NIOCore
import RPC

/// The Health method every service answers: serving unless draining or a required dependency fails.
public final class HealthService: CommonV1.HealthHandler {
    /// A dependency check: throws or returns a detail string; it must answer within `timeout`.
    public typealias Check = @Sendable () async throws -> String

    private let service: String
    private let version: String
    private let startedAt: Int64
    private let checks: [(name: String, check: Check)]
    private let draining = NIOLockedValueBox(false)
    private let timeout: Duration

    public init(service: String, version: String, checks: [(name: String, check: Check)] = [], timeout: Duration = .seconds(2)) {
        self.service = service
        self.version = version
        self.checks = checks
        self.timeout = timeout
        self.startedAt = Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000)
    }

    /// Reported as NOT_SERVING from now on, so that load balancers move traffic away before the drain.
    public func markDraining() {
        self.draining.withLockedValue { $0 = true }
    }

    public func check(_ request: CommonV1.HealthCheckRequest, context: RPCServerContext) async throws -> CommonV1.HealthCheckResponse {
        var response = CommonV1.HealthCheckResponse()
        response.service = self.service
        response.version = self.version
        response.startedAtMs = self.startedAt
        var serving = !self.draining.withLockedValue { $0 }
        if request.checkDependencies {
            response.dependencies = await self.runChecks()
            serving = serving && response.dependencies.allSatisfy { $0.status == .serving }
        }
        response.status = serving ? .serving : .notServing
        return response
    }

    private func runChecks() async -> [CommonV1.DependencyHealth] {
        let timeout = self.timeout
        return await withTaskGroup(of: (Int, CommonV1.DependencyHealth).self) { group in
            for (index, entry) in self.checks.enumerated() {
                group.addTask {
                    var result = CommonV1.DependencyHealth()
                    result.name = entry.name
                    let start = NIODeadline.now()
                    do {
                        result.detail = try await withDeadline(timeout) { try await entry.check() }
                        result.status = .serving
                    } catch {
                        result.detail = "\(error)"
                        result.status = .notServing
                    }
                    result.latencyUs = (NIODeadline.now() - start).nanoseconds / 1000
                    return (index, result)
                }
            }
            var results: [(Int, CommonV1.DependencyHealth)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

/// Runs `body`, failing with DEADLINE_EXCEEDED if it takes longer than `timeout`.
public func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw RPCError(.deadlineExceeded, "timed out after \(timeout)")
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}
