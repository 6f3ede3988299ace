#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHiredis
import NIOConcurrencyHelpers

/// A message published on a subscribed channel.
public struct RedisMessage: Sendable, Hashable {
    public var channel: String
    public var payload: [UInt8]

    public init(channel: String, payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }

    /// The payload as UTF-8 text.
    public var string: String { String(decoding: self.payload, as: UTF8.self) }
}

extension RedisPool {
    /// Subscribes to `channels` on a dedicated connection and thread of its own.
    ///
    /// The stream ends cleanly when the consumer stops iterating (or the pool closes), and with a
    /// `RedisError` when the connection fails: pub/sub keeps nothing, so resubscribe and reload
    /// state. Messages published before the server confirmed the subscription are not seen.
    /// Up to 1024 undelivered messages are buffered; beyond that the oldest are dropped.
    public func subscribe(_ channels: [String]) -> AsyncThrowingStream<RedisMessage, any Error> {
        self.subscribe(channels, confirmed: { _ in })
    }

    /// Like ``subscribe(_:)``, but returns only once Redis has confirmed every channel, so that
    /// state read afterwards cannot miss a message published in between (read-then-follow).
    public func subscribeConfirmed(_ channels: [String]) async throws -> AsyncThrowingStream<RedisMessage, any Error> {
        let waiter = NIOLockedValueBox<CheckedContinuation<Void, any Error>?>(nil)
        let outcome = NIOLockedValueBox<Result<Void, any Error>?>(nil)
        let settle: @Sendable ((any Error)?) -> Void = { error in
            let result: Result<Void, any Error> = error.map { .failure($0) } ?? .success(())
            let continuation = waiter.withLockedValue { current -> CheckedContinuation<Void, any Error>? in
                outcome.withLockedValue { if $0 == nil { $0 = result } }
                defer { current = nil }
                return current
            }
            continuation?.resume(with: result)
        }
        let stream = self.subscribe(channels, confirmed: settle)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let settled = waiter.withLockedValue { current -> Result<Void, any Error>? in
                if let done = outcome.withLockedValue({ $0 }) { return done }
                current = continuation
                return nil
            }
            if let settled { continuation.resume(with: settled) }
        }
        return stream
    }

    /// `confirmed` is called once: with nil when every channel is confirmed, else with why not.
    func subscribe(_ channels: [String], confirmed: @escaping @Sendable ((any Error)?) -> Void) -> AsyncThrowingStream<RedisMessage, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: RedisMessage.self, throwing: (any Error).self, bufferingPolicy: .bufferingNewest(1024)
        )
        let subscription = RedisSubscription()
        let key = ObjectIdentifier(subscription)
        let registered = self.subscriptions.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.active[key] = subscription
            return true
        }
        guard registered, !channels.isEmpty else {
            let error = registered ? nil : RedisError(.connectionFailure, "the Redis pool is closed")
            confirmed(error)
            continuation.finish(throwing: error)
            return stream
        }
        continuation.onTermination = { _ in subscription.stop() }
        let configuration = self.configuration
        BlockingThread.start(name: "redis-sub") { [self] in
            subscription.run(configuration: configuration, channels: channels, continuation: continuation, confirmed: confirmed)
            self.subscriptions.withLockedValue { _ = $0.active.removeValue(forKey: key) }
        }
        return stream
    }

    /// Live subscriptions (for tests).
    var subscriptionCount: Int { self.subscriptions.withLockedValue { $0.active.count } }
}

/// One subscription's thread: waits on the socket and on a wake-up pipe, so `stop()` from any
/// thread ends it at once without touching the hiredis context it does not own.
final class RedisSubscription: Sendable {
    private let state = NIOLockedValueBox<(stopped: Bool, wakeFD: Int32?)>((false, nil))

    func stop() {
        self.state.withLockedValue { state in
            state.stopped = true
            // The fd is closed only after `wakeFD` is cleared under this lock: never a stale fd.
            if let fd = state.wakeFD {
                var byte: UInt8 = 1
                _ = write(fd, &byte, 1)
            }
        }
    }

    func run(
        configuration: RedisConfiguration,
        channels: [String],
        continuation: AsyncThrowingStream<RedisMessage, any Error>.Continuation,
        confirmed: @Sendable ((any Error)?) -> Void
    ) {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let error = RedisError(.connectionFailure, "cannot create a pipe (errno \(errno))")
            confirmed(error)
            continuation.finish(throwing: error)
            return
        }
        let started = self.state.withLockedValue { state -> Bool in
            state.wakeFD = pipeFDs[1]
            return !state.stopped
        }
        defer {
            self.state.withLockedValue { $0.wakeFD = nil }
            close(pipeFDs[1])
            close(pipeFDs[0])
        }
        guard started else {
            confirmed(CancellationError())
            return continuation.finish()
        }
        var pendingConfirmations = Set(channels)
        do {
            let connection = try RedisConnection.connect(configuration)
            try connection.send(["SUBSCRIBE"] + channels)
            while true {
                while let reply = try connection.bufferedReply() {
                    if let values = reply.array, values.count == 3, values[0].string == "message",
                        let channel = values[1].string, let payload = values[2].bytes
                    {
                        continuation.yield(RedisMessage(channel: channel, payload: payload))
                    } else if let values = reply.array, values.count == 3, values[0].string == "subscribe", let channel = values[1].string,
                        pendingConfirmations.remove(channel) != nil, pendingConfirmations.isEmpty
                    {
                        confirmed(nil)
                    }
                }
                var descriptors = [
                    pollfd(fd: connection.context.pointee.fd, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: pipeFDs[0], events: Int16(POLLIN), revents: 0),
                ]
                guard poll(&descriptors, 2, -1) >= 0 || errno == EINTR else { throw RedisError(.connectionFailure, "poll failed (errno \(errno))") }
                if descriptors[1].revents != 0 { break }
                if descriptors[0].revents != 0 { try connection.readAvailable() }
            }
            confirmed(CancellationError())
            continuation.finish()
        } catch {
            let stopped = self.state.withLockedValue { $0.stopped }
            confirmed(stopped ? CancellationError() : error)
            continuation.finish(throwing: stopped ? nil : error)
        }
    }
}

extension RedisConnection {
    /// Writes a command without waiting for its reply (subscriptions).
    func send(_ arguments: [String]) throws {
        let status = Self.withArgv(arguments.map { Array($0.utf8) }) { count, argv, lengths in
            redisAppendCommandArgv(self.context, count, argv, lengths)
        }
        guard status == REDIS_OK else { throw self.contextError() }
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(self.context, &done) == REDIS_OK else { throw self.contextError() }
        }
    }

    /// A reply already read from the socket, if a whole one is buffered.
    func bufferedReply() throws -> RedisValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(self.context, &reply) == REDIS_OK else { throw self.contextError() }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return try Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Reads what the socket has (call only when poll says it is readable: it blocks otherwise).
    func readAvailable() throws {
        guard redisBufferRead(self.context) == REDIS_OK else { throw self.contextError() }
    }
}
