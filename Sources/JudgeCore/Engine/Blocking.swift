import NIOPosix

/// File work (checkers, cache, artifacts) runs on NIO's blocking pool, never on the caller's
/// event loop.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
