/// Method path → implementation, for every service a server hosts.
struct RPCRouter: Sendable {
    struct Route: Sendable {
        let handler: RPCMethodHandler
        let metrics: MethodMetrics
    }

    private var handlers: [String: Route] = [:]

    init(services: [RPCServiceDefinition]) {
        for service in services {
            for method in service.methods {
                precondition(self.handlers[method.path] == nil, "method \(method.path) registered twice")
                self.handlers[method.path] = Route(handler: method, metrics: MethodMetrics(method: method.path))
            }
        }
    }

    subscript(path: String) -> Route? { self.handlers[path] }

    var paths: [String] { self.handlers.keys.sorted() }
}
