/// Method path → implementation, for every service a server hosts.
struct RPCRouter: Sendable {
    private var handlers: [String: RPCMethodHandler] = [:]

    init(services: [RPCServiceDefinition]) {
        for service in services {
            for method in service.methods {
                precondition(self.handlers[method.path] == nil, "method \(method.path) registered twice")
                self.handlers[method.path] = method
            }
        }
    }

    subscript(path: String) -> RPCMethodHandler? { self.handlers[path] }

    var paths: [String] { self.handlers.keys.sorted() }
}
