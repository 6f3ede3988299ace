import NIOCore

/// One outgoing request's state. Confined to its connection's event loop: every field is read and
/// written there only (start, response, timeout and cancel all hop onto the loop first).
final class ClientCall: @unchecked Sendable {
    var streamID: UInt32 = 0
    /// CANCEL arrived before the request was written; `start` sees it and never sends.
    var cancelledBeforeStart = false
    var continuation: UnsafeContinuation<ByteBuffer, any Error>?
    var deadline: NIODeadline?

    func succeed(_ body: ByteBuffer) {
        self.continuation?.resume(returning: body)
        self.continuation = nil
    }

    func fail(_ error: RPCError) {
        self.continuation?.resume(throwing: error)
        self.continuation = nil
    }
}
