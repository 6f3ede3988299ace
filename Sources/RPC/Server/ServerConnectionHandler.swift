import Logging
import NIOCore

/// Asks a server connection to drain: GOAWAY, finish in-flight requests, close.
struct RPCDrainEvent: Sendable {}

/// One accepted connection: handshake, request dispatch, deadlines, cancellation, keepalive, drain.
///
/// Everything here runs on the connection's event loop. Frames are decoded in place (no separate
/// decoder handler, so the frame limit can be raised after the handshake), responses are flushed
/// once per read batch or once per loop tick for responses that finish later.
final class ServerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum State {
        case awaitingHello
        case awaitingAuth(clientNonce: [UInt8], serverNonce: [UInt8])
        case ready
        case draining(lastStreamID: UInt32)
        case closed
    }

    struct Stream {
        var task: Task<Void, Never>?
        var deadline: NIODeadline?
        var started: NIODeadline
        var metrics: MethodMetrics
        /// A response (or nothing, after CANCEL) has been settled; the handler may still be running.
        var answered = false
    }

    let configuration: RPCServerConfiguration
    let router: RPCRouter
    let logger: Logger
    var state = State.awaitingHello
    var decoder = RPCFrameDecoder(maximumFrameLength: Handshake.maximumFrameLength)
    var inbound: ByteBuffer?
    var streams: [UInt32: Stream] = [:]
    var lastStreamID: UInt32 = 0
    var peerMaximumFrameLength = Handshake.maximumFrameLength
    var keepalive: Keepalive
    var keepaliveTimer: RepeatedTask?
    var handshakeTimer: Scheduled<Void>?
    var deadlineTimer = DeadlineTimer()
    var context: ChannelHandlerContext?
    var executor: EventLoopTaskExecutor?
    var remoteAddress: SocketAddress?
    var writer = FrameWriter()
    var readHeld = false
    /// The route of the previous request.
    var lastRoute: RPCRouter.Route?
    /// When the current read arrived: the start of every request in it (one clock read per batch).
    var readTime = NIODeadline.uptimeNanoseconds(0)
    /// The stream whose handler `start` is running synchronously, and whether it already finished.
    var startingStream: (id: UInt32, finished: Bool)?

    init(configuration: RPCServerConfiguration, router: RPCRouter, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.keepalive = Keepalive(interval: configuration.keepaliveInterval, timeout: configuration.keepaliveTimeout, now: .now())
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        self.remoteAddress = context.channel.remoteAddress
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.handshakeTimer = context.eventLoop.scheduleTask(in: self.configuration.handshakeTimeout) {
            let handler = loopBound.value
            switch handler.state {
            case .awaitingHello, .awaitingAuth:
                handler.fail(RPCConnectionError(.protocolViolation, "handshake not completed in time"))
            default: break
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.shutDownStreams()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state = .closed
        self.shutDownStreams()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.writer.isReading = true
        let now = NIODeadline.now()
        self.keepalive.heard(now: now)
        self.readTime = now
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

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("rpc connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is RPCDrainEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch self.state {
        case .ready:
            self.state = .draining(lastStreamID: self.lastStreamID)
            let goAway = GoAway(lastStreamID: self.lastStreamID, message: "server is shutting down")
            self.writeFrame(RPCFrame(type: .goAway, payload: goAway.encode()))
            self.flushNow()
            self.closeIfDrained()
        case .awaitingHello, .awaitingAuth:
            self.fail(RPCConnectionError(.shuttingDown, "server is shutting down"))
        case .draining, .closed:
            break
        }
    }

    // Backpressure: stop reading while the peer does not read our responses.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            self.readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, self.readHeld {
            self.readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Frames

    func handle(_ frame: RPCFrame) throws {
        switch (self.state, frame.type) {
        case (.awaitingHello, .hello):
            let hello = try Handshake.ClientHello.decode(frame.payload)
            let serverNonce = PeerAuthenticator.randomNonce()
            let proof = self.configuration.authenticator.serverProof(clientNonce: hello.nonce, serverNonce: serverNonce)
            self.peerMaximumFrameLength = max(Handshake.maximumFrameLength, hello.maximumFrameLength)
            let reply = Handshake.ServerHello(
                maximumFrameLength: self.configuration.maximumFrameLength,
                maximumConcurrentRequests: self.configuration.maximumConcurrentRequests,
                nonce: serverNonce,
                proof: proof
            )
            self.state = .awaitingAuth(clientNonce: hello.nonce, serverNonce: serverNonce)
            self.writeFrame(RPCFrame(type: .hello, payload: reply.encode()))

        case (.awaitingAuth(let clientNonce, let serverNonce), .auth):
            let expected = self.configuration.authenticator.clientProof(clientNonce: clientNonce, serverNonce: serverNonce)
            guard frame.payload.readableBytes == Handshake.proofSize,
                  PeerAuthenticator.matches(Array(frame.payload.readableBytesView), expected)
            else { throw RPCConnectionError(.authenticationFailed, "peer authentication failed: wrong shared secret") }
            self.state = .ready
            self.decoder.maximumFrameLength = self.configuration.maximumFrameLength
            self.handshakeTimer?.cancel()
            self.startKeepalive()
            self.writeFrame(RPCFrame(type: .ready))

        case (.ready, .request), (.draining, .request):
            try self.handleRequest(frame)

        case (.ready, .cancel), (.draining, .cancel):
            self.cancelStream(frame.streamID)

        case (.ready, .ping), (.draining, .ping):
            guard frame.payload.readableBytes <= 64 else { throw RPCConnectionError(.malformedFrame, "PING payload too large") }
            self.writeFrame(RPCFrame(type: .pong, streamID: frame.streamID, payload: frame.payload))

        case (.ready, .pong), (.draining, .pong):
            break

        case (_, .error):
            let error = RPCConnectionError.decode(frame.payload)
            self.logger.debug("rpc peer sent error", metadata: ["error": "\(error)"])
            self.state = .closed
            self.context?.close(promise: nil)

        case (.ready, .goAway), (.draining, .goAway):
            break  // The client will send nothing new; it closes when its calls are done.

        default:
            throw RPCConnectionError(.unexpectedFrame, "unexpected \(frame.type) frame \(self.stateName)")
        }
    }

    var stateName: String {
        switch self.state {
        case .awaitingHello: "before HELLO"
        case .awaitingAuth: "before AUTH"
        case .ready: "on a ready connection"
        case .draining: "while draining"
        case .closed: "after close"
        }
    }

    func handleRequest(_ frame: RPCFrame) throws {
        let id = frame.streamID
        guard id != 0, id > self.lastStreamID else {
            throw RPCConnectionError(.duplicateStreamID, "stream id \(id) is not above the previous one (\(self.lastStreamID))")
        }
        self.lastStreamID = id
        if case .draining(let last) = self.state, id > last {
            self.writeError(id, RPCError(.unavailable, "server is shutting down", notProcessed: true))
            return
        }
        var body = frame.payload
        let methodBytes = try RequestHead.readMethod(from: &body)
        let route: RPCRouter.Route?
        if let last = self.lastRoute, last.pathBytes == methodBytes {
            route = last  // a connection mostly repeats its methods: a compare instead of a hash
        } else {
            route = self.router[methodBytes]
            self.lastRoute = route
        }
        let head = try RequestHead.read(from: &body, method: route?.path ?? String(buffer: methodBytes))
        guard self.streams.count < Int(self.configuration.maximumConcurrentRequests) else {
            self.writeError(
                id,
                RPCError(.resourceExhausted, "more than \(self.configuration.maximumConcurrentRequests) concurrent requests", notProcessed: true)
            )
            return
        }
        guard let route else {
            self.writeError(id, RPCError(.unimplemented, "unknown method \(head.method)", notProcessed: true))
            return
        }
        self.start(id, route: route, head: head, body: body)
    }

    func start(_ id: UInt32, route: RPCRouter.Route, head: RequestHead, body: ByteBuffer) {
        let eventLoop = self.context!.eventLoop
        let loopBound = LoopConfined(self)
        let method = route.handler
        let now = self.readTime
        let deadline = head.timeoutMilliseconds > 0 ? now + .milliseconds(Int64(head.timeoutMilliseconds)) : nil
        let context = RPCServerContext(
            method: head.method,
            metadata: head.metadata,
            deadline: deadline,
            remoteAddress: self.remoteAddress,
            logger: self.logger
        )
        self.streams[id] = Stream(deadline: deadline, started: now, metrics: route.metrics)
        if let deadline, !self.deadlineTimer.covers(deadline) {
            self.deadlineTimer.arm(for: deadline, on: eventLoop) { loopBound.value.deadlinesPassed() }
        }

        // On the event loop the handler starts at once, inside this read: a handler that does not
        // suspend answers within the same read batch, and its response goes out with that batch's flush.
        // The closures are written out at each call (not one closure value passed twice): converting
        // a closure value to `@isolated(any)` allocates a thunk per request.
        let task: Task<Void, Never>
        self.startingStream = (id, false)
        switch self.configuration.handlerExecution {
        case .eventLoop:
            task = Task.immediate(executorPreference: self.executor!) { @concurrent @Sendable in
                await Self.serve(id, method, body, context, on: eventLoop, loopBound)
            }
        case .globalConcurrentExecutor:
            task = Task { @concurrent @Sendable in await Self.serve(id, method, body, context, on: eventLoop, loopBound) }
        }
        let finished = self.startingStream?.finished == true
        self.startingStream = nil
        // Through an index: the dictionary's by-key `_modify` mallocs its coroutine frame.
        if !finished, let index = self.streams.index(forKey: id) { self.streams.values[index].task = task }
    }

    /// A request's task: the handler with the call bound to ``RPCServerContext/current``, then its
    /// answer, written on the connection's loop.
    @inline(__always)
    @concurrent private static func serve(
        _ id: UInt32,
        _ method: RPCMethodHandler,
        _ body: ByteBuffer,
        _ context: RPCServerContext,
        on eventLoop: any EventLoop,
        _ connection: LoopConfined<ServerConnectionHandler>
    ) async {
        let result: Result<any RPCMessage, any Error>
        do {
            result = .success(try await RPCServerContext.$current.withValue(context) { try await method.invoke(body, context) })
        } catch {
            result = .failure(error)
        }
        if eventLoop.inEventLoop {
            connection.value.finish(id, result)
        } else {
            eventLoop.execute { connection.value.finish(id, result) }
        }
    }

    func finish(_ id: UInt32, _ result: Result<any RPCMessage, any Error>) {
        if self.startingStream?.id == id { self.startingStream?.finished = true }
        guard let stream = self.streams.removeValue(forKey: id) else { return }
        if !stream.answered, case .some = self.context {
            switch result {
            case .success(let message):
                self.writeResponse(id, message)
                stream.metrics.record(code: .ok, since: stream.started)
            case .failure(let error):
                let status = self.status(for: error)
                self.writeError(id, status)
                stream.metrics.record(code: status.code, since: stream.started)
            }
        } else {
            stream.metrics.record(code: stream.deadline.map { $0 <= .now() } == true ? .deadlineExceeded : .cancelled, since: stream.started)
        }
        self.closeIfDrained()
    }

    /// Answers DEADLINE_EXCEEDED for every expired request and cancels its handler.
    func deadlinesPassed() {
        self.deadlineTimer.fired()
        let now = NIODeadline.now()
        var next: NIODeadline?
        for (id, var stream) in self.streams where !stream.answered {
            guard let deadline = stream.deadline else { continue }
            if deadline <= now {
                stream.answered = true
                stream.task?.cancel()
                self.streams[id] = stream
                self.writeError(id, RPCError(.deadlineExceeded, "deadline exceeded"))
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        if let next, let context = self.context {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.deadlineTimer.arm(for: next, on: context.eventLoop) { loopBound.value.deadlinesPassed() }
        }
    }

    func cancelStream(_ id: UInt32) {
        guard var stream = self.streams[id], !stream.answered else { return }
        stream.answered = true
        stream.task?.cancel()
        self.streams[id] = stream
    }

    func status(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError:
            return RPCError(.cancelled, "cancelled")
        default:
            self.logger.error("rpc handler failed", metadata: ["error": "\(error)"])
            return RPCError(.internal, "internal error")
        }
    }
}
