import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Connections to every address of every target, reconnected with backoff, picked least-loaded.
///
/// All bookkeeping sits behind one lock; connecting, resolving and waking waiters happen outside it.
final class ConnectionPool: Sendable {
    struct Lease: Sendable {
        let key: Int
        let connection: RPCConnection
    }

    private struct Endpoint {
        let address: SocketAddress
        var connection: RPCConnection?
        /// Identifies the current connection attempt, so that late events of an old one are ignored.
        var generation = 0
        var connecting = false
        var failures = 0
        var inFlight = 0
        var capacity = Int.max
    }

    private struct Waiter {
        var continuation: UnsafeContinuation<Lease?, any Error>
        var timer: Scheduled<Void>?
    }

    private struct State {
        /// By a number given at resolution: integer keys keep string hashing off the call path.
        var endpoints: [Int: Endpoint] = [:]
        var ids: [String: Int] = [:]
        var nextID = 0
        var order: [Int] = []
        var roundRobin = 0
        var waiters: [UInt64: Waiter] = [:]
        var waiterQueue = CircularBuffer<UInt64>()
        var nextWaiterID: UInt64 = 0
        var started = false
        var resolving = false
        var closed = false
        var lastError: String?
        var resolveTimer: RepeatedTask?
    }

    private let configuration: RPCClientConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(configuration: RPCClientConfiguration, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    private var targetsDescription: String { self.configuration.targets.map(\.description).joined(separator: ",") }

    /// Resolves the targets and starts connecting (also done lazily by the first call).
    func start() {
        let start = self.state.withLockedValue { state -> Bool in
            guard !state.started, !state.closed else { return false }
            state.started = true
            state.resolving = true
            return true
        }
        if start { self.beginResolving() }
    }

    // MARK: Acquire and release

    /// A connection with spare capacity; waits while one is being established, fails fast when none can be.
    /// A connection with spare capacity, if there is one now: the common case, with no async call
    /// (each costs the caller an executor check on return).
    func tryAcquire() -> Lease? {
        self.state.withLockedValue { state -> Lease? in
            guard state.started, !state.closed, let index = Self.pick(&state) else { return nil }
            return Self.lease(index, &state)
        }
    }

    func acquire(deadline: NIODeadline?) async throws -> Lease {
        if let immediate = self.tryAcquire() { return immediate }
        while true {
            self.start()
            let waiterID = self.state.withLockedValue { state -> UInt64 in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
            let lease = try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Lease?, any Error>) in
                    let outcome = self.state.withLockedValue { state -> Result<Lease?, RPCError>? in
                        if state.closed {
                            return .failure(RPCError(.unavailable, "client is closed", notProcessed: true))
                        }
                        if let index = Self.pick(&state) {
                            return .success(Self.lease(index, &state))
                        }
                        if Self.hasPendingWork(state) {
                            var waiter = Waiter(continuation: continuation)
                            if let deadline {
                                waiter.timer = self.group.next().scheduleTask(deadline: deadline) { [weak self] in
                                    self?.expireWaiter(waiterID)
                                }
                            }
                            state.waiters[waiterID] = waiter
                            state.waiterQueue.append(waiterID)
                            return nil
                        }
                        let reason = state.lastError ?? "not connected"
                        return .failure(RPCError(.unavailable, "no endpoint of \(self.targetsDescription) is up (\(reason))", notProcessed: true))
                    }
                    if let outcome { continuation.resume(with: outcome) }
                }
            } onCancel: {
                self.removeWaiter(waiterID, error: RPCError(.cancelled, "cancelled by caller", notProcessed: true))
            }
            if let lease { return lease }
        }
    }

    func release(_ lease: Lease) {
        let waiter = self.state.withLockedValue { state -> Waiter? in
            // Through an index: the dictionary's by-key `_modify` mallocs its coroutine frame.
            if let index = state.endpoints.index(forKey: lease.key) { state.endpoints.values[index].inFlight -= 1 }
            return Self.popWaiter(&state)
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: nil)
    }

    /// The least loaded connected endpoint with spare capacity, round-robin among equals.
    private static func pick(_ state: inout State) -> Dictionary<Int, Endpoint>.Index? {
        let count = state.order.count
        guard count > 0 else { return nil }
        var best: Dictionary<Int, Endpoint>.Index?
        var bestLoad = Int.max
        for offset in 0..<count {
            let key = state.order[(state.roundRobin &+ offset) % count]
            guard let index = state.endpoints.index(forKey: key) else { continue }
            let endpoint = state.endpoints.values[index]
            if endpoint.connection != nil, endpoint.inFlight < endpoint.capacity, endpoint.inFlight < bestLoad {
                best = index
                bestLoad = endpoint.inFlight
            }
        }
        state.roundRobin = (state.roundRobin &+ 1) % count
        return best
    }

    private static func lease(_ index: Dictionary<Int, Endpoint>.Index, _ state: inout State) -> Lease {
        state.endpoints.values[index].inFlight += 1
        let (key, endpoint) = state.endpoints[index]
        return Lease(key: key, connection: endpoint.connection!)
    }

    /// Something may soon free a connection: a resolution, a connection attempt, or a busy connection.
    private static func hasPendingWork(_ state: State) -> Bool {
        state.resolving || state.endpoints.values.contains { $0.connecting || $0.connection != nil }
    }

    private static func popWaiter(_ state: inout State) -> Waiter? {
        while let id = state.waiterQueue.popFirst() {
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
        }
        return nil
    }

    private func expireWaiter(_ id: UInt64) {
        self.removeWaiter(id, error: RPCError(.deadlineExceeded, "deadline exceeded while waiting for a connection", notProcessed: true))
    }

    private func removeWaiter(_ id: UInt64, error: RPCError) {
        let waiter = self.state.withLockedValue { $0.waiters.removeValue(forKey: id) }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(throwing: error)
    }

    /// Lets every waiter look again after the pool changed (a connection came or went).
    private func wakeAll() {
        let waiters = self.state.withLockedValue { state -> [Waiter] in
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            state.waiterQueue.removeAll()
            return all
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: nil)
        }
    }

    // MARK: Resolution

    private func beginResolving() {
        Task { await self.resolve() }
        let needsRefresh = self.configuration.targets.contains { (try? SocketAddress(ipAddress: $0.host, port: $0.port)) == nil }
        guard needsRefresh else { return }
        let interval = self.configuration.resolveInterval
        let timer = self.group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            guard let self else { return }
            Task { await self.resolve() }
        }
        self.state.withLockedValue { state in
            if state.closed { timer.cancel() } else { state.resolveTimer = timer }
        }
    }

    private func resolve() async {
        var addresses: [SocketAddress] = []
        var failures: [String] = []
        for target in self.configuration.targets {
            do {
                addresses += try await Resolver.resolve(target)
            } catch {
                failures.append("\(error)")
            }
        }
        let (added, removed) = self.state.withLockedValue { state -> ([Int], [RPCConnection]) in
            state.resolving = false
            guard !state.closed else { return ([], []) }
            if addresses.isEmpty {
                state.lastError = failures.joined(separator: "; ")
                return ([], [])  // Keep what we had: a DNS hiccup must not drop live connections.
            }
            let keys = Set(addresses.map(\.endpointKey))
            var added: [Int] = []
            for address in addresses where state.ids[address.endpointKey] == nil {
                let id = state.nextID
                state.nextID += 1
                state.ids[address.endpointKey] = id
                state.endpoints[id] = Endpoint(address: address)
                added.append(id)
            }
            var removed: [RPCConnection] = []
            for (key, id) in state.ids where !keys.contains(key) {
                state.ids[key] = nil
                if let connection = state.endpoints.removeValue(forKey: id)?.connection { removed.append(connection) }
            }
            state.order = state.ids.sorted { $0.key < $1.key }.map(\.value)
            return (added, removed)
        }
        for connection in removed { connection.closeWhenIdle() }
        for key in added { self.connect(key) }
        self.wakeAll()
    }

    // MARK: Connections

    private func connect(_ key: Int) {
        let attempt = self.state.withLockedValue { state -> (SocketAddress, Int)? in
            guard !state.closed, var endpoint = state.endpoints[key], endpoint.connection == nil, !endpoint.connecting else {
                return nil
            }
            endpoint.connecting = true
            endpoint.generation += 1
            state.endpoints[key] = endpoint
            return (endpoint.address, endpoint.generation)
        }
        guard let (address, generation) = attempt else { return }
        Task {
            do {
                let connection = try await RPCConnection.connect(
                    to: address,
                    configuration: self.configuration,
                    group: self.group,
                    logger: self.logger,
                    onGoAway: { [weak self] in self?.lost(key, generation: generation, reason: "server going away") }
                )
                self.connected(key, generation: generation, connection: connection)
            } catch {
                self.failed(key, generation: generation, error: error)
            }
        }
    }

    private func connected(_ key: Int, generation: Int, connection: RPCConnection) {
        let accepted = self.state.withLockedValue { state -> Bool in
            guard !state.closed, var endpoint = state.endpoints[key], endpoint.generation == generation else { return false }
            endpoint.connection = connection
            endpoint.connecting = false
            endpoint.failures = 0
            endpoint.capacity = Int(connection.limits.maximumConcurrentRequests)
            state.endpoints[key] = endpoint
            return true
        }
        guard accepted else {
            connection.channel.close(promise: nil)
            return
        }
        self.logger.debug("rpc connected", metadata: ["endpoint": "\(connection.channel.remoteAddress?.endpointKey ?? "?")"])
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.lost(key, generation: generation, reason: "connection closed")
        }
        self.wakeAll()
    }

    private func failed(_ key: Int, generation: Int, error: any Error) {
        let delay = self.state.withLockedValue { state -> TimeAmount? in
            guard !state.closed, var endpoint = state.endpoints[key], endpoint.generation == generation else { return nil }
            endpoint.connecting = false
            endpoint.failures += 1
            state.endpoints[key] = endpoint
            let reason = (error as? RPCError)?.message ?? "\(error)"
            state.lastError = "\(endpoint.address.endpointKey): \(reason)"
            return self.configuration.backoff.delay(afterFailures: endpoint.failures)
        }
        self.logger.debug("rpc connect failed", metadata: ["endpoint": "\(key)", "error": "\(error)"])
        if let delay {
            self.group.next().scheduleTask(in: delay) { [weak self] in self?.connect(key) }
        }
        self.wakeAll()
    }

    /// The current connection closed or was told to go away: forget it and connect again at once.
    private func lost(_ key: Int, generation: Int, reason: String) {
        let reconnect = self.state.withLockedValue { state -> Bool in
            guard !state.closed, var endpoint = state.endpoints[key], endpoint.generation == generation,
                  endpoint.connection != nil
            else { return false }
            endpoint.connection = nil
            state.endpoints[key] = endpoint
            state.lastError = "\(endpoint.address.endpointKey): \(reason)"
            return true
        }
        if reconnect { self.connect(key) }
        self.wakeAll()
    }

    // MARK: Shutdown

    func close() async {
        let (connections, waiters, timer) = self.state.withLockedValue { state in
            state.closed = true
            let connections = state.endpoints.values.compactMap(\.connection)
            let waiters = Array(state.waiters.values)
            state.waiters.removeAll()
            state.waiterQueue.removeAll()
            return (connections, waiters, state.resolveTimer)
        }
        timer?.cancel()
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: RPCError(.unavailable, "client is closed", notProcessed: true))
        }
        for connection in connections {
            try? await connection.channel.close()
        }
    }

    /// Endpoints with a live connection (for health reports and tests).
    var connectedEndpoints: [String] {
        self.state.withLockedValue { state in
            state.order.compactMap { id in state.endpoints[id].flatMap { $0.connection == nil ? nil : $0.address.endpointKey } }
        }
    }
}
