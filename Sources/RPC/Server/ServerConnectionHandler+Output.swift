import NIOCore

/// Writing frames and ending the connection: the half of the handler that talks back.
extension ServerConnectionHandler {
    // MARK: Writing

    func writeResponse(_ id: UInt32, _ message: any RPCMessage) {
        let limit = Int(self.peerMaximumFrameLength)
        var tooLarge = 0
        let needsFlush = self.writer.appendInPlace { buffer in
            let start = buffer.beginOKResponseFrame(streamID: id)
            message.encode(into: &buffer)
            let length = buffer.writerIndex - start - 4
            guard length <= limit else {
                tooLarge = length
                return false
            }
            buffer.finishRPCFrame(startingAt: start)
            return true
        }
        if tooLarge > 0 {
            self.writeError(id, RPCError(.resourceExhausted, "response of \(tooLarge) bytes exceeds the caller's frame limit"))
        } else if needsFlush {
            self.scheduleFlush()
        }
        if self.writer.isFull, let context = self.context { self.writer.flushEarly(context) }
    }

    func writeError(_ id: UInt32, _ error: RPCError) {
        let needsFlush = self.writer.appendInPlace { buffer in
            let start = buffer.beginRPCFrame(type: .response, flags: error.notProcessed ? .notProcessed : [], streamID: id)
            ResponseHead(code: error.code, message: error.message).write(to: &buffer)
            buffer.writeBytes(error.details)
            buffer.finishRPCFrame(startingAt: start)
            return true
        }
        if needsFlush { self.scheduleFlush() }
    }


    func writeFrame(_ frame: RPCFrame) {
        if self.writer.append(frame) { self.scheduleFlush() }
    }

    /// Flushes once at the end of this loop tick, after every handler that finishes in it wrote.
    func scheduleFlush() {
        guard let context = self.context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let handler = loopBound.value
            if let context = handler.context { handler.writer.flush(context) }
        }
    }

    /// Flushes now (before a close).
    func flushNow() {
        if let context = self.context { self.writer.flush(context) }
    }

    // MARK: Lifecycle

    func startKeepalive() {
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
                handler.fail(RPCConnectionError(.keepaliveTimeout, "peer did not answer PING"))
            }
        }
    }

    func closeIfDrained() {
        if case .draining = self.state, self.streams.isEmpty, let context = self.context {
            self.state = .closed
            self.flushNow()
            context.close(promise: nil)
        }
    }

    /// Connection-level failure: tell the peer why, then close.
    func fail(_ error: RPCConnectionError) {
        guard let context = self.context else { return }
        if case .closed = self.state { return }
        self.logger.debug("rpc connection closed on error", metadata: ["error": "\(error)"])
        self.state = .closed
        self.writeFrame(RPCFrame(type: .error, payload: error.encode()))
        self.flushNow()
        context.close(promise: nil)
        self.shutDownStreams()
    }

    func shutDownStreams() {
        self.handshakeTimer?.cancel()
        self.keepaliveTimer?.cancel()
        self.keepaliveTimer = nil
        self.deadlineTimer.cancel()
        for (_, stream) in self.streams {
            stream.task?.cancel()
        }
        self.streams.removeAll()
    }
}
