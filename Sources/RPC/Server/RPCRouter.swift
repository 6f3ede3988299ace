import NIOCore

/// Method path → implementation, for every service a server hosts.
struct RPCRouter: Sendable {
    /// A class: a request handles its route several times, and a copy is then one reference count
    /// instead of one per field.
    final class Route: Sendable {
        let path: String
        /// `path` in UTF-8, as requests carry it.
        let pathBytes: ByteBuffer
        let handler: RPCMethodHandler
        let metrics: MethodMetrics

        init(path: String, pathBytes: ByteBuffer, handler: RPCMethodHandler, metrics: MethodMetrics) {
            self.path = path
            self.pathBytes = pathBytes
            self.handler = handler
            self.metrics = metrics
        }
    }

    private var handlers: [String: Route] = [:]
    /// The same routes keyed by the path's UTF-8 bytes, for requests: no `String` per request.
    private var handlersByBytes: [ByteBuffer: Route] = [:]

    init(services: [RPCServiceDefinition]) {
        for service in services {
            for method in service.methods {
                precondition(self.handlers[method.path] == nil, "method \(method.path) registered twice")
                let bytes = ByteBuffer(string: method.path)
                let route = Route(path: method.path, pathBytes: bytes, handler: method, metrics: MethodMetrics(method: method.path))
                self.handlers[method.path] = route
                self.handlersByBytes[bytes] = route
            }
        }
    }

    subscript(path: String) -> Route? { self.handlers[path] }

    subscript(path: ByteBuffer) -> Route? { self.handlersByBytes[path] }

    var paths: [String] { self.handlers.keys.sorted() }
}
