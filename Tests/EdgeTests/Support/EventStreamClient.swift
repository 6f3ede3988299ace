import Foundation
import NIOCore
import NIOPosix

/// Reads a text/event-stream over its own TCP connection, event by event, as a browser's
/// EventSource would (HummingbirdTesting's client returns whole responses only).
struct EventStreamClient {
    struct Event: Equatable, Sendable {
        var name: String
        var data: String
    }

    /// Opens `path` and runs `body` with the response head and an event reader; the connection
    /// closes when `body` returns (a client going away).
    static func open<Value: Sendable>(
        port: Int, path: String, token: String? = nil,
        _ body: (_ head: String, _ next: () async throws -> Event?) async throws -> Value
    ) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nConnection: close\r\n"
            if let token { request += "Authorization: Bearer \(token)\r\n" }
            try await outbound.write(ByteBuffer(string: request + "\r\n"))
            var reader = Reader(iterator: inbound.makeAsyncIterator())
            let head = try await reader.head()
            return try await body(head) { try await reader.nextEvent() }
        }
    }

    /// Decodes the chunked body and splits it into events; comments (heartbeats) and `retry:` are skipped.
    private struct Reader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        /// Bytes received and not yet decoded.
        var raw: [UInt8] = []
        /// Decoded body text not yet returned as events.
        var text = ""
        var finished = false
        /// A body with a Content-Length (an already finished submission) is not chunked.
        var chunked = true

        mutating func head() async throws -> String {
            while true {
                if let end = Self.find([13, 10, 13, 10], in: self.raw) {
                    let head = String(decoding: self.raw[..<end], as: UTF8.self)
                    self.raw.removeFirst(end + 4)
                    self.chunked = head.lowercased().contains("transfer-encoding: chunked")
                    return head
                }
                guard try await self.receive() else { return String(decoding: self.raw, as: UTF8.self) }
            }
        }

        mutating func nextEvent() async throws -> Event? {
            while true {
                while let end = self.text.range(of: "\n\n") {
                    let block = String(self.text[..<end.lowerBound])
                    self.text = String(self.text[end.upperBound...])
                    var name = ""
                    var data = ""
                    for line in block.split(separator: "\n") {
                        if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                        if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                    }
                    if !name.isEmpty { return Event(name: name, data: data) }
                }
                self.decodeChunks()
                if self.text.contains("\n\n") { continue }
                guard !self.finished, try await self.receive() else { return nil }
            }
        }

        /// Moves every complete chunk from `raw` to `text`; a zero-size chunk ends the body.
        mutating func decodeChunks() {
            guard self.chunked else {
                self.text += String(decoding: self.raw, as: UTF8.self)
                self.raw.removeAll()
                return
            }
            while let lineEnd = Self.find([13, 10], in: self.raw) {
                let sizeText = String(decoding: self.raw[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText, radix: 16) else { return }
                guard self.raw.count >= lineEnd + 2 + size + 2 else { return }
                self.text += String(decoding: self.raw[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self)
                self.raw.removeFirst(lineEnd + 2 + size + 2)
                if size == 0 { self.finished = true }
            }
        }

        mutating func receive() async throws -> Bool {
            guard let buffer = try await self.iterator.next(isolation: #isolation) else { return false }
            self.raw += buffer.readableBytesView
            return true
        }

        static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for index in 0...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            return nil
        }
    }
}
