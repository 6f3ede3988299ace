import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// What a relay of ``LiveEventStream`` reacts to.
enum LiveSignal<Event: Sendable>: Sendable {
    /// A message of the channel, decoded.
    case event(Event)
    /// A heartbeat is due: write one, and re-read the state (events can be lost with a connection).
    case tick
    /// The subscription ended (Redis failed): heartbeats keep re-reading the state.
    case lost((any Error)?)
    case shutdown
}

/// The plumbing of the event-stream routes (submissions and matches): a text/event-stream whose
/// events a route-specific relay writes, fed with a Redis channel's messages and heartbeat ticks.
///
/// The relay is a task of its own; the response body only writes what it yields, so a client
/// that went away (a failed write) cancels the relay and its subscription.
struct LiveEventStream: Sendable {
    let events: any EventSource
    let heartbeat: Duration

    static var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        headers[.xAccelBuffering] = "no"  // nginx would otherwise hold events back
        return headers
    }

    /// A stream that is over before it starts (the resource is already final).
    static func finished(_ events: ByteBuffer) -> Response {
        Response(status: .ok, headers: Self.headers, body: .init(byteBuffer: events))
    }

    /// Subscribes to `channel`, then runs `relay` until it returns; the stream then ends.
    func response<Event: Sendable>(
        channel: String,
        context: EdgeRequestContext,
        decode: @escaping @Sendable (RedisMessage) -> Event?,
        relay: @escaping @Sendable (AsyncStream<LiveSignal<Event>>, AsyncStream<ByteBuffer>.Continuation) async throws -> Void
    ) -> Response {
        Response(status: .ok, headers: Self.headers, body: ResponseBody { writer in
            let (output, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
            let producer = Task {
                do {
                    try await self.follow(channel, context: context, decode: decode, sink: sink, relay: relay)
                } catch {
                    context.logger.debug("event stream ended", metadata: ["error": "\(error)"])
                }
                sink.finish()
            }
            defer { producer.cancel() }
            for await buffer in output {
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        })
    }

    private func follow<Event: Sendable>(
        _ channel: String,
        context: EdgeRequestContext,
        decode: @escaping @Sendable (RedisMessage) -> Event?,
        sink: AsyncStream<ByteBuffer>.Continuation,
        relay: @escaping @Sendable (AsyncStream<LiveSignal<Event>>, AsyncStream<ByteBuffer>.Continuation) async throws -> Void
    ) async throws {
        let messages: AsyncThrowingStream<RedisMessage, any Error>?
        do {
            messages = try await self.events.follow(channel: channel)
        } catch {
            context.logger.warning("event subscription failed; polling instead", metadata: ["error": "\(error)"])
            messages = nil
        }
        let (signals, input) = AsyncStream.makeStream(of: LiveSignal<Event>.self)
        let heartbeat = self.heartbeat
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer {
                group.cancelAll()
                input.finish()
            }
            if let messages {
                group.addTask {
                    do {
                        for try await message in messages {
                            if let event = decode(message) { input.yield(.event(event)) }
                        }
                        input.yield(.lost(nil))
                    } catch {
                        input.yield(.lost(error))
                    }
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    input.yield(.tick)
                }
            }
            try await withGracefulShutdownHandler {
                try await relay(signals, sink)
            } onGracefulShutdown: {
                input.yield(.shutdown)
            }
        }
    }
}
