#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Resolves a target to every address it names (several replicas behind one DNS name).
enum Resolver {
    /// Runs getaddrinfo on NIO's blocking-I/O thread pool, never on an event loop.
    static func resolve(_ target: RPCClientConfiguration.Target) async throws -> [SocketAddress] {
        if let literal = try? SocketAddress(ipAddress: target.host, port: target.port) {
            return [literal]
        }
        return try await NIOThreadPool.singleton.runIfActive {
            try self.blockingResolve(host: target.host, port: target.port)
        }
    }

    private static func blockingResolve(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw RPCError(.unavailable, "cannot resolve \(host): \(String(cString: gai_strerror(status)))", notProcessed: true)
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            if let raw = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    let v4 = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v4, host: host))
                case AF_INET6:
                    let v6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v6, host: host))
                default: break
                }
            }
            node = info.pointee.ai_next
        }
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.endpointKey).inserted }
    }
}

extension SocketAddress {
    /// `ip:port`, the identity of an endpoint in the pool.
    var endpointKey: String { "\(self.ipAddress ?? "?"):\(self.port ?? 0)" }
}
