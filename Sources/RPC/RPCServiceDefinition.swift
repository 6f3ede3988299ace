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
        self.path = method.path
        self.invoke = { bytes, context in
            let request: Request
            do {
                request = try Request(decoding: bytes)
            } catch {
                throw RPCError(.invalidArgument, "malformed request message for \(method.path)")
            }
            return try await body(request, context)
        }
    }
}
