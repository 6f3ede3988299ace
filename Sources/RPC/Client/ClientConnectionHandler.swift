import Logging
import NIOCore

/// What the server announced in its HELLO.
struct ServerLimits: Sendable {
    var maximumFrameLength: UInt32
    var maximumConcurrentRequests: UInt32
}

/// The client side of one connection: handshake, stream ids, responses, timeouts, keepalive, GOAWAY.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingHello(nonce: [UInt8])
        case awaitingReady
        case ready
        /// GOAWAY received (or closing locally): no new calls; closes once the last one ends.
        case draining
        case closed
    }

    private let authenticator: PeerAuthenticator
    private let maximumFrameLength: UInt32
    private let logger: Logger
    private let readyPromise: EventLoopPromise<ServerLimits>
    private let onGoAway: @Sendable () -> Void
    private var state: State
    private var decoder = RPCFrameDecoder(maximumFrameLength: Handshake.maximumFrameLength)
    private var inbound: ByteBuffer?
    private var streams: [UInt32: ClientCall] = [:]
    private var nextStreamID: UInt32 = 1
    private var limits = ServerLimits(maximumFrameLength: Handshake.maximumFrameLength, maximumConcurrentRequests: 0)
    private var keepalive: Keepalive
    private var keepaliveTimer: RepeatedTask?
    private var deadlineTimer = DeadlineTimer()
    private var context: ChannelHandlerContext?
    private var writer = FrameWriter()
    /// The last connection-level error, reported to calls that the close fails.
    private var closeReason: String?

    init(
        authenticator: PeerAuthenticator,
        maximumFrameLength: UInt32,
        keepaliveInterval: TimeAmount,
        keepaliveTimeout: TimeAmount,
        readyPromise: EventLoopPromise<ServerLimits>,
        logger: Logger,
        onGoAway: @escaping @Sendable () -> Void
    ) {
        self.authenticator = authenticator
        self.maximumFrameLength = maximumFrameLength
        self.readyPromise = readyPromise
        self.logger = logger
        self.onGoAway = onGoAway
        self.state = .awaitingHello(nonce: PeerAuthenticator.randomNonce())
        self.keepalive = Keepalive(interval: keepaliveInterval, timeout: keepaliveTimeout, now: .now())
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.sendHello() }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendHello()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.closed(reason: "connection closed")
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed(reason: self.closeReason ?? "connection closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.closeReason = "\(error)"
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.writer.isReading = true
        self.keepalive.heard(now: .now())
        if self.inbound == nil {
            self.inbound = bytes
        } else {
            self.inbound!.writeBuffer(&bytes)
        }
        do {
            while case .some(let frame) = try self.decoder.decode(buffer: &self.inbound!) {
                try self.handle(frame)
                if case .closed = self.state { return }
            }
        } catch let error as RPCConnectionError {
            self.fail(error)
            return
        } catch {
            self.fail(RPCConnectionError(.protocolViolation, "\(error)"))
            return
        }
        if self.inbound!.readableBytes == 0 {
            self.inbound = nil
        } else if self.inbound!.readerIndex > 64 << 10 {
            self.inbound!.discardReadBytes()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.writer.isReading = false
        self.writer.flush(context)
        context.fireChannelReadComplete()
    }

    // MARK: Calls (on the event loop)

    /// Sends a request frame built by the caller (stream id still 0) and registers `call` for the answer.
    func start(_ call: ClientCall, frame: ByteBuffer, deadline: NIODeadline?) {
        self.start(call, deadline: deadline) { writer, id in
            writer.append(frame: frame, streamID: id)
        }
    }

    /// Sends a request frame that `encode` writes (stream id 0) straight into the connection's
    /// output, for callers on this loop: no buffer of its own, no copy.
    func start(_ call: ClientCall, deadline: NIODeadline?, encode: (inout ByteBuffer) -> Void) {
        self.start(call, deadline: deadline) { writer, id in
            writer.appendInPlace { buffer in
                let start = buffer.writerIndex
                encode(&buffer)
                buffer.setInteger(id, at: start + RPCFrame.streamIDOffset)
                return true
            }
        }
    }

    private func start(_ call: ClientCall, deadline: NIODeadline?, write: (inout FrameWriter, UInt32) -> Bool) {
        if call.cancelledBeforeStart {
            call.fail(RPCError(.cancelled, "cancelled by caller", notProcessed: true))
            return
        }
        guard case .ready = self.state else {
            call.fail(RPCError(.unavailable, "connection is closing", notProcessed: true))
            return
        }
        let id = self.nextStreamID
        let mark = self.writer.mark
        let needsFlush = write(&self.writer, id)
        let length = self.writer.bytes(since: mark) - 4
        guard length <= Int(self.limits.maximumFrameLength) else {
            self.writer.withdraw(to: mark)
            if needsFlush { self.scheduleFlush() }  // the writer counts on the flush it asked for
            // Not marked retry-safe: another attempt would be just as large.
            call.fail(RPCError(.resourceExhausted, "request of \(length + 4) bytes exceeds the server's frame limit"))
            return
        }
        self.nextStreamID &+= 1
        if self.nextStreamID == 0 {
            // Stream ids are exhausted: finish what runs here and let the pool open a fresh connection.
            self.state = .draining
            self.onGoAway()
        }
        call.streamID = id
        call.deadline = deadline
        self.streams[id] = call
        if needsFlush { self.scheduleFlush() }
        if self.writer.isFull, let context = self.context { self.writer.flushEarly(context) }
        if let deadline, !self.deadlineTimer.covers(deadline), let context = self.context {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.deadlineTimer.arm(for: deadline, on: context.eventLoop) { loopBound.value.deadlinesPassed() }
        }
    }

    /// The caller's task was cancelled: tell the server, fail the call.
    func cancel(_ call: ClientCall) {
        guard call.streamID != 0 else {
            call.cancelledBeforeStart = true
            return
        }
        guard self.streams.removeValue(forKey: call.streamID) != nil else { return }
        self.writeFrame(RPCFrame(type: .cancel, streamID: call.streamID))
        call.fail(RPCError(.cancelled, "cancelled by caller"))
        self.closeIfDrained()
    }

    /// Fails every call past its deadline and tells the server to stop working on it.
    private func deadlinesPassed() {
        self.deadlineTimer.fired()
        let now = NIODeadline.now()
        var next: NIODeadline?
        for (id, call) in self.streams {
            guard let deadline = call.deadline else { continue }
            if deadline <= now {
                self.streams[id] = nil
                self.writeFrame(RPCFrame(type: .cancel, streamID: id))
                call.fail(RPCError(.deadlineExceeded, "deadline exceeded"))
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        if let next, let context = self.context {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.deadlineTimer.arm(for: next, on: context.eventLoop) { loopBound.value.deadlinesPassed() }
        }
        self.closeIfDrained()
    }

    /// Stop taking calls and close once the running ones finish (endpoint gone from DNS, client closing).
    func closeWhenIdle() {
        switch self.state {
        case .ready:
            self.state = .draining
            self.closeIfDrained()
        case .awaitingHello, .awaitingReady:
            self.context?.close(promise: nil)
        case .draining, .closed:
            break
        }
    }

    // MARK: Frames

    private func handle(_ frame: RPCFrame) throws {
        switch (self.state, frame.type) {
        case (.awaitingHello(let nonce), .hello):
            let hello = try Handshake.ServerHello.decode(frame.payload)
            let expected = self.authenticator.serverProof(clientNonce: nonce, serverNonce: hello.nonce)
            guard PeerAuthenticator.matches(hello.proof, expected) else {
                throw RPCConnectionError(.authenticationFailed, "server failed authentication: wrong shared secret")
            }
            self.limits = ServerLimits(
                maximumFrameLength: hello.maximumFrameLength,
                maximumConcurrentRequests: hello.maximumConcurrentRequests
            )
            var proof = ByteBuffer()
            proof.writeBytes(self.authenticator.clientProof(clientNonce: nonce, serverNonce: hello.nonce))
            self.state = .awaitingReady
            self.writeFrame(RPCFrame(type: .auth, payload: proof))

        case (.awaitingReady, .ready):
            self.state = .ready
            self.decoder.maximumFrameLength = self.maximumFrameLength
            self.startKeepalive()
            self.readySettled = true
            self.readyPromise.succeed(self.limits)

        case (.ready, .response), (.draining, .response):
            guard let call = self.streams.removeValue(forKey: frame.streamID) else { return }  // cancelled or timed out
            var payload = frame.payload
            let head = try ResponseHead.read(from: &payload)
            if head.code == .ok {
                call.succeed(payload)
            } else {
                let details = payload.readBytes(length: payload.readableBytes) ?? []
                call.fail(RPCError(head.code, head.message, notProcessed: frame.flags.contains(.notProcessed), details: details))
            }
            self.closeIfDrained()

        case (.ready, .goAway), (.draining, .goAway):
            let goAway = try GoAway.decode(frame.payload)
            self.state = .draining
            for (id, call) in self.streams where id > goAway.lastStreamID {
                self.streams[id] = nil
                call.fail(RPCError(.unavailable, "server going away: \(goAway.message)", notProcessed: true))
            }
            self.onGoAway()
            self.closeIfDrained()

        case (.ready, .ping), (.draining, .ping):
            guard frame.payload.readableBytes <= 64 else { throw RPCConnectionError(.malformedFrame, "PING payload too large") }
            self.writeFrame(RPCFrame(type: .pong, streamID: frame.streamID, payload: frame.payload))

        case (.ready, .pong), (.draining, .pong):
            break

        case (_, .error):
            let error = RPCConnectionError.decode(frame.payload)
            self.closeReason = "server closed the connection: \(error.message)"
            self.logger.debug("rpc server sent error", metadata: ["error": "\(error)"])
            self.context?.close(promise: nil)
            self.state = .closed

        default:
            throw RPCConnectionError(.unexpectedFrame, "unexpected \(frame.type) frame from server")
        }
    }

    // MARK: Writing and lifecycle

    private func sendHello() {
        guard case .awaitingHello(let nonce) = self.state, let context = self.context, context.channel.isActive,
              !self.helloSent
        else { return }
        self.helloSent = true
        let hello = Handshake.ClientHello(maximumFrameLength: self.maximumFrameLength, nonce: nonce)
        self.writeFrame(RPCFrame(type: .hello, payload: hello.encode()))
        self.flushNow()
    }

    private var helloSent = false
    private var readySettled = false

    private func writeFrame(_ frame: RPCFrame) {
        if self.writer.append(frame) { self.scheduleFlush() }
    }

    /// Flushes once at the end of this loop tick, after every handler that finishes in it wrote.
    private func scheduleFlush() {
        guard let context = self.context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let handler = loopBound.value
            if let context = handler.context { handler.writer.flush(context) }
        }
    }

    /// Flushes now (before a close).
    private func flushNow() {
        if let context = self.context { self.writer.flush(context) }
    }

    private func startKeepalive() {
        guard let context = self.context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let interval = self.keepalive.tickInterval
        self.keepaliveTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let handler = loopBound.value
            switch handler.keepalive.tick(now: .now()) {
            case .none: break
            case .sendPing:
                var payload = ByteBuffer()
                payload.writeInteger(UInt64(NIODeadline.now().uptimeNanoseconds))
                handler.writeFrame(RPCFrame(type: .ping, payload: payload))
            case .close:
                handler.fail(RPCConnectionError(.keepaliveTimeout, "server did not answer PING"))
            }
        }
    }

    private func closeIfDrained() {
        if case .draining = self.state, self.streams.isEmpty {
            self.context?.close(promise: nil)
        }
    }

    private func fail(_ error: RPCConnectionError) {
        guard let context = self.context else { return }
        if case .closed = self.state { return }
        self.closeReason = "\(error.message)"
        self.writeFrame(RPCFrame(type: .error, payload: error.encode()))
        self.flushNow()
        context.close(promise: nil)
        self.closed(reason: error.message)
    }

    private func closed(reason: String) {
        self.state = .closed
        self.keepaliveTimer?.cancel()
        self.keepaliveTimer = nil
        self.deadlineTimer.cancel()
        if !self.readySettled {
            self.readySettled = true
            self.readyPromise.fail(RPCError(.unavailable, reason, notProcessed: true))
        }
        let calls = self.streams
        self.streams.removeAll()
        for (_, call) in calls {
            call.fail(RPCError(.unavailable, reason))
        }
    }
}
