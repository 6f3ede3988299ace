import AlgoProto
import NIOCore
import RPC
import Testing

/// One generated message type, as a test argument.
struct MessageType: CustomTestStringConvertible, @unchecked Sendable {
    let type: any ProtoSampleMessage.Type
    var testDescription: String { type.protoMessageName }

    static let all = AllMessages.types.map(MessageType.init)
}

extension Array where Element == UInt8 {
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}

extension RPCMessage {
    var bytes: [UInt8] { serializedBytes() }
}
