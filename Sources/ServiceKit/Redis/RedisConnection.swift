#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHiredis

/// One hiredis connection.
///
/// Not `Sendable`: the pool hands it to one dedicated thread at a time (the thread that opened
/// it). Any hiredis error is permanent for a context, so after one `isBroken` is true and the
/// pool opens a new connection on the next use.
public final class RedisConnection {
    let context: UnsafeMutablePointer<redisContext>
    private let owner: pthread_t
    private let commandTimeout: Duration

    private init(context: UnsafeMutablePointer<redisContext>, commandTimeout: Duration) {
        self.context = context
        self.owner = pthread_self()
        self.commandTimeout = commandTimeout
    }

    deinit { redisFree(self.context) }

    /// Connects, authenticates and selects the database; throws `.connectionFailure`.
    static func connect(_ configuration: RedisConfiguration) throws -> RedisConnection {
        let endpoint: RedisEndpoint
        do {
            endpoint = try RedisEndpoint(url: configuration.url)
        } catch let error as RedisError {
            throw RedisError(.connectionFailure, "invalid Redis URL: \(error.message)")
        }
        guard let context = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), Self.socketTimeout(configuration.connectTimeout)) else {
            throw RedisError(.connectionFailure, "hiredis could not allocate a context")
        }
        guard context.pointee.err == 0 else {
            let message = Self.errorString(context)
            redisFree(context)
            throw RedisError(.connectionFailure, "cannot connect to \(endpoint.host):\(endpoint.port): \(message)")
        }
        // redisConnectWithTimeout also set the socket timeouts to the connect timeout; replace them.
        let connection = RedisConnection(context: context, commandTimeout: configuration.commandTimeout)
        guard redisSetTimeout(context, Self.socketTimeout(configuration.commandTimeout)) == REDIS_OK else {
            throw RedisError(.connectionFailure, "cannot set the socket timeout: \(Self.errorString(context))")
        }
        _ = redisEnableKeepAlive(context)
        do {
            if let password = endpoint.password {
                _ = try connection.command(endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            if endpoint.database != 0 {
                _ = try connection.command(["SELECT", String(endpoint.database)])
            }
        } catch let error as RedisError {
            throw RedisError(.connectionFailure, "Redis refused the connection: \(error.message)")
        }
        return connection
    }

    /// Sends one command; a top-level error reply throws `.serverError`.
    public func command(_ arguments: [String]) throws -> RedisValue {
        try self.command(arguments.map { Array($0.utf8) })
    }

    /// Sends one command with binary-safe arguments; a top-level error reply throws `.serverError`.
    public func command(_ arguments: [[UInt8]]) throws -> RedisValue {
        try self.checkUsable()
        guard !arguments.isEmpty else { throw RedisError(.invalidArgument, "empty command") }
        let reply = Self.withArgv(arguments) { count, argv, lengths in
            redisCommandArgv(self.context, count, argv, lengths)
        }
        guard let reply else { throw self.contextError() }
        defer { freeReplyObject(reply) }
        let value = try Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = value { throw RedisError.server(message) }
        return value
    }

    /// Sends every command, then reads every reply, in one round trip. Replies come back in
    /// order; a command's error reply is an `.error` value in its place, not a thrown error.
    public func pipeline(_ commands: [[String]]) throws -> [RedisValue] {
        try self.checkUsable()
        for command in commands {
            guard !command.isEmpty else { throw RedisError(.invalidArgument, "empty command in pipeline") }
            let status = Self.withArgv(command.map { Array($0.utf8) }) { count, argv, lengths in
                redisAppendCommandArgv(self.context, count, argv, lengths)
            }
            guard status == REDIS_OK else { throw self.contextError() }
        }
        var values: [RedisValue] = []
        values.reserveCapacity(commands.count)
        for _ in commands {
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(self.context, &reply) == REDIS_OK, let reply else { throw self.contextError() }
            defer { freeReplyObject(reply) }
            values.append(try Self.value(of: reply.assumingMemoryBound(to: redisReply.self)))
        }
        return values
    }

    /// Whether hiredis reported an error on this context (they are permanent).
    var isBroken: Bool { self.context.pointee.err != 0 }

    /// Redis sends nothing unasked to an idle connection: readable means it was closed
    /// (`CLIENT KILL`, restart, idle timeout). Finding out now spares the caller's command.
    func closedByServer() -> Bool {
        guard !self.isBroken else { return true }
        var descriptor = pollfd(fd: self.context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// The classified error of a failed call; read right after the call (it looks at errno).
    func contextError() -> RedisError {
        let code = errno
        let message = Self.errorString(self.context)
        switch self.context.pointee.err {
        case REDIS_ERR_IO where code == EAGAIN || code == EWOULDBLOCK || message.contains("temporarily unavailable"):
            return RedisError(.timeout, "no reply within \(self.commandTimeout)")
        case REDIS_ERR_PROTOCOL, REDIS_ERR_OOM:
            return RedisError(.protocolError, message)
        case 0:
            return RedisError(.protocolError, "hiredis returned no reply")
        default:
            return RedisError(.connectionFailure, message)
        }
    }

    /// On the owning thread, and no earlier error (hiredis would fail again without a reason).
    private func checkUsable() throws {
        precondition(pthread_equal(self.owner, pthread_self()) != 0, "a RedisConnection was used off its pool thread")
        guard !self.isBroken else {
            throw RedisError(.connectionFailure, "the connection already failed: \(Self.errorString(self.context))")
        }
    }

    static func value(of reply: UnsafeMutablePointer<redisReply>) throws -> RedisValue {
        let reply = reply.pointee
        func text() -> String {
            String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self)
        }
        switch reply.type {
        case REDIS_REPLY_STRING: return .bulk(Array(UnsafeRawBufferPointer(start: reply.str, count: reply.len)))
        case REDIS_REPLY_INTEGER: return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_ARRAY:
            return .array(try (0..<reply.elements).map { index in
                guard let element = reply.element[index] else { throw RedisError(.protocolError, "array reply with a missing element") }
                return try Self.value(of: element)
            })
        default:
            throw RedisError(.protocolError, "unknown reply type \(reply.type)")
        }
    }

    /// Calls `body` with hiredis' argc/argv/argvlen for `arguments`, valid only during the call.
    static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var storage: [UInt8] = []
        var offsets: [Int] = []
        for argument in arguments {
            offsets.append(storage.count)
            storage += argument
        }
        storage.append(0)  // never empty, so there is always a base address
        let lengths = arguments.map(\.count)
        return storage.withUnsafeBytes { raw in
            var pointers: [UnsafePointer<CChar>?] = offsets.map { (raw.baseAddress! + $0).assumingMemoryBound(to: CChar.self) }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { body(Int32(arguments.count), argv.baseAddress!, $0.baseAddress!) }
            }
        }
    }

    static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func socketTimeout(_ duration: Duration) -> timeval {
        let millis = max(1, duration.storageMilliseconds)
        return timeval(tv_sec: .init(millis / 1000), tv_usec: .init(millis % 1000 * 1000))
    }
}

@available(*, unavailable, message: "a RedisConnection belongs to one pool thread")
extension RedisConnection: Sendable {}
