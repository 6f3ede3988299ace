import AlgoProto
import Foundation
import Logging
import RPC
@testable import ServiceKit
import Testing

@Suite("Health")
struct HealthServiceTests {
    let context = RPCServerContext(method: CommonV1.Health.check.path, metadata: RPCMetadata(), deadline: nil, remoteAddress: nil, logger: Logger(label: "t"))

    func check(_ health: HealthService, dependencies: Bool = true) async throws -> CommonV1.HealthCheckResponse {
        var request = CommonV1.HealthCheckRequest()
        request.checkDependencies = dependencies
        return try await health.check(request, context: self.context)
    }

    @Test("serving while every dependency answers; each reports its detail")
    func serving() async throws {
        let health = HealthService(service: "users", version: "1.2.3", checks: [("postgres", { "ok" }), ("redis", { "PONG" })])
        let response = try await self.check(health)
        #expect(response.status == .serving)
        #expect(response.version == "1.2.3")
        #expect(response.dependencies.map(\.name) == ["postgres", "redis"])
        #expect(response.dependencies.map(\.detail) == ["ok", "PONG"])
    }

    @Test("a failing or hanging dependency makes the instance not serving, but liveness stays serving")
    func failing() async throws {
        struct Down: Error {}
        let health = HealthService(
            service: "users", version: "dev",
            checks: [("postgres", { throw Down() }), ("redis", { try await Task.sleep(for: .seconds(30)); return "late" })],
            timeout: .milliseconds(100)
        )
        let response = try await self.check(health)
        #expect(response.status == .notServing)
        #expect(response.dependencies.allSatisfy { $0.status == .notServing })
        #expect(try await self.check(health, dependencies: false).status == .serving)
    }

    @Test("draining reports not serving")
    func draining() async throws {
        let health = HealthService(service: "users", version: "dev")
        #expect(try await self.check(health).status == .serving)
        health.markDraining()
        #expect(try await self.check(health).status == .notServing)
    }

    @Test("configuration errors name the variable")
    func configuration() throws {
        let environment = Environment(["RPC_SECRET": "0123456789abcdef", "RPC_PORT": "abc", "LOG_LEVEL": "loud"])
        #expect(throws: ConfigurationError.self) { try environment.port("RPC_PORT", default: 1) }
        #expect(throws: ConfigurationError.self) { try ServiceSettings.load(name: "x", defaultRPCPort: 1, environment: environment) }
        do {
            _ = try environment.choice("LOG_LEVEL", default: "info", allowed: ["info", "debug"])
            Issue.record("accepted an invalid level")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("LOG_LEVEL"))
        }
        let settings = try ServiceSettings.load(name: "x", defaultRPCPort: 7001, environment: Environment(["RPC_SECRET": "0123456789abcdef"]))
        #expect(settings.rpcPort == 7001 && settings.rpcHost == "127.0.0.1" && settings.logFormat == "json")
    }

    @Test("secrets can come from a file, as Kubernetes mounts them")
    func secretFile() throws {
        let path = "/tmp/algosports-secret-\(getpid())"
        FileManager.default.createFile(atPath: path, contents: Data("from-a-file-0123456789\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Environment(["RPC_SECRET_FILE": path]).secret("RPC_SECRET") == "from-a-file-0123456789")
        #expect(throws: ConfigurationError.self) { try Environment(["RPC_SECRET_FILE": "/nonexistent"]).secret("RPC_SECRET") }
    }

    @Test("JSON log lines escape quotes, newlines and control characters")
    func jsonEscaping() {
        #expect(JSONLogHandler.quote("a\"b\\c\nd\u{01}é") == "\"a\\\"b\\\\c\\nd\\u0001é\"")
        #expect(JSONLogHandler.timestamp().count == 24)
    }
}
