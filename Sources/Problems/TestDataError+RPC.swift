import RPC
import ServiceKit

extension TestDataError {
    /// Limits are RESOURCE_EXHAUSTED, anything malformed INVALID_ARGUMENT; both name the file.
    var rpcError: RPCError {
        switch self {
        case .invalid(let field, let message): .invalid(field, message)
        case .tooLarge(let field, let message): .tooLarge(field, message)
        }
    }
}
