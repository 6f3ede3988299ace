import NIOCore
import NIOPosix

/// The baseline: a bare SwiftNIO length-prefixed echo, ChannelHandlers on both sides, no async.
enum RawEcho {
    /// Echoes every `[u32 length][bytes]` frame; flushes once per read batch.
    final class ServerHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var buffer: ByteBuffer?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = self.unwrapInboundIn(data)
            if self.buffer == nil { self.buffer = incoming } else { self.buffer!.writeBuffer(&incoming) }
            while let length = self.buffer!.getInteger(at: self.buffer!.readerIndex, as: UInt32.self),
                  self.buffer!.readableBytes >= 4 + Int(length) {
                let frame = self.buffer!.readSlice(length: 4 + Int(length))!
                context.write(self.wrapOutboundOut(frame), promise: nil)
            }
            if self.buffer!.readableBytes == 0 { self.buffer = nil }
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }
    }

    /// Keeps `window` frames in flight until `total` answers arrived; records each round trip.
    final class ClientHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let frame: ByteBuffer
        private let window: Int
        private let total: Int
        private let done: EventLoopPromise<[UInt64]>
        private var sent = 0
        private var received = 0
        private var sendTimes: [UInt64] = []
        private var latencies: [UInt64] = []
        private var buffer: ByteBuffer?

        init(payload: ByteBuffer, window: Int, total: Int, done: EventLoopPromise<[UInt64]>) {
            var frame = ByteBuffer()
            frame.writeInteger(UInt32(payload.readableBytes))
            var payload = payload
            frame.writeBuffer(&payload)
            self.frame = frame
            self.window = window
            self.total = total
            self.done = done
            self.latencies.reserveCapacity(total)
            self.sendTimes.reserveCapacity(total)
        }

        func channelActive(context: ChannelHandlerContext) {
            for _ in 0..<min(self.window, self.total) { self.send(context) }
            context.flush()
        }

        private func send(_ context: ChannelHandlerContext) {
            self.sendTimes.append(DispatchTimeNow())
            self.sent += 1
            context.write(self.wrapOutboundOut(self.frame), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = self.unwrapInboundIn(data)
            if self.buffer == nil { self.buffer = incoming } else { self.buffer!.writeBuffer(&incoming) }
            while let length = self.buffer!.getInteger(at: self.buffer!.readerIndex, as: UInt32.self),
                  self.buffer!.readableBytes >= 4 + Int(length) {
                self.buffer!.moveReaderIndex(forwardBy: 4 + Int(length))
                self.latencies.append(DispatchTimeNow() - self.sendTimes[self.received])
                self.received += 1
                if self.sent < self.total { self.send(context) }
            }
            if self.buffer!.readableBytes == 0 { self.buffer = nil }
            if self.received == self.total { self.done.succeed(self.latencies) }
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }
    }

    static func startServer(group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ServerHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// Runs `total` round trips with `window` in flight; returns per-request latencies in nanoseconds.
    static func run(port: Int, payload: ByteBuffer, window: Int, total: Int, group: any EventLoopGroup) async throws -> [UInt64] {
        let loop = group.next()
        let done = loop.makePromise(of: [UInt64].self)
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientHandler(payload: payload, window: window, total: total, done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let latencies = try await done.futureResult.get()
        try await channel.close()
        return latencies
    }
}

/// Monotonic nanoseconds.
@inline(__always)
func DispatchTimeNow() -> UInt64 {
    NIODeadline.now().uptimeNanoseconds
}
