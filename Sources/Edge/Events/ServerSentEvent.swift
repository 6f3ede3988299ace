import NIOCore

/// The text/event-stream wire format (WHATWG HTML §9.2): `event:` and `data:` lines, a blank line
/// after each event; lines starting with ':' are comments that keep the connection alive.
enum ServerSentEvent {
    /// One event; `data` is compact JSON (no newlines), so a single `data:` line carries it.
    static func event(_ name: StaticString, _ body: some JSONResponseBody) -> ByteBuffer {
        var json = JSONWriter()
        body.write(to: &json)
        var buffer = ByteBuffer()
        buffer.writeStaticString("event: ")
        buffer.writeStaticString(name)
        buffer.writeStaticString("\ndata: ")
        buffer.writeImmutableBuffer(json.buffer)
        buffer.writeStaticString("\n\n")
        return buffer
    }

    static let heartbeat = ByteBuffer(string: ": heartbeat\n\n")

    /// How long a browser's EventSource waits before reconnecting after the stream ends abnormally.
    static let retry = ByteBuffer(string: "retry: 3000\n\n")
}
