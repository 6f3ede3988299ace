import NIOCore

/// The methods one service answers, ready to be registered on an ``RPCServer``.
///
/// Generated handler protocols provide `serviceDefinition`; tests may build one from closures.
public struct RPCServiceDefinition: Sendable {
    public let name: String
    public let methods: [RPCMethodHandler]

    public init(name: String, methods: [RPCMethodHandler]) {
        self.name = name
        self.methods = methods
    }
}

/// A type-erased method implementation: decodes the request, runs the body, hands back the response.
public struct RPCMethodHandler: Sendable {
    public let path: String
    let invoke: @Sendable (ByteBuffer, RPCServerContext) async throws -> any RPCMessage

    public init<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        _ body: @escaping @Sendable (Request, RPCServerContext) async throws -> Response
    ) {
        self.init(method) { bytes, context in
            try await body(Self.request(bytes, of: method), context)
        }
    }

    /// For generated code: `invoke` decodes with ``request(_:of:)`` and calls the handler's method
    /// itself, one async call per request fewer than wrapping a closure (each costs an executor
    /// check on return).
    public init<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        invoke: @escaping @Sendable (ByteBuffer, RPCServerContext) async throws -> any RPCMessage
    ) {
        self.path = method.path
        self.invoke = invoke
    }

    /// The request a method's handler gets, or INVALID_ARGUMENT.
    @inlinable
    public static func request<Request, Response>(_ bytes: ByteBuffer, of method: RPCMethod<Request, Response>) throws -> Request {
        do {
            return try Request(decoding: bytes)
        } catch {
            throw RPCError(.invalidArgument, "malformed request message for \(method.path)")
        }
    }
}
