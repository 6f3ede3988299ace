import AlgoProto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Logging
import RPC
import Testing

/// Starts a service executable from this build as a real process and talks to it over RPC.
final class ServiceProcess {
    let process = Process()
    let output = Pipe()
    let errors = Pipe()
    static let secret = "service-test-secret-0123456789"

    static var buildDirectory: URL {
        // The test bundle sits next to the service executables in .build/<triple>/debug.
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func executable(_ name: String) -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent(name)
    }

    init(_ name: String, environment: [String: String]) throws {
        self.process.executableURL = Self.executable(name)
        self.process.environment = environment
        self.process.standardOutput = self.output
        self.process.standardError = self.errors
        try self.process.run()
    }

    /// Reads JSON log lines until one has `address`, and returns its port.
    func listeningPort() throws -> Int {
        var buffer = Data()
        let handle = self.output.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty {
                // The process ended before listening: its own words say why.
                let (status, stderr) = self.waitForExit()
                throw StartFailure(description: "\(self.process.executableURL?.lastPathComponent ?? "?") exited (\(status)) before listening: \(stderr) \(String(decoding: buffer, as: UTF8.self))")
            }
            buffer += chunk
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let address = object["address"] as? String,
                      let port = address.split(separator: ":").last.flatMap({ Int($0) })
                else { continue }
                return port
            }
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    func terminate() -> Int32 {
        self.process.terminate()  // SIGTERM
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    func waitForExit() -> (status: Int32, stderr: String) {
        self.process.waitUntilExit()
        let text = String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (self.process.terminationStatus, text)
    }
}

/// A port that was free a moment ago (for settings that cannot take 0).
func freePort() throws -> Int {
    let socket = try ServerSocketProbe()
    return socket.port
}

/// Binds 127.0.0.1:0 to learn a free port, then releases it.
struct ServerSocketProbe {
    let port: Int
    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileReadUnknown) }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("Service executables")
struct ServiceProcessTests {
    static let services = [("Users", "users"), ("Problems", "problems"), ("Submissions", "submissions"), ("JudgeService", "judge"), ("Edge", "edge")]
    static let seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

    /// What each service needs besides the shared settings; the databases come from `make test`.
    static func environment(for executable: String, adminPort: Int) throws -> [String: String] {
        let outer = ProcessInfo.processInfo.environment
        var environment = ["RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "0", "ADMIN_PORT": String(adminPort), "LOG_FORMAT": "json"]
        switch executable {
        case "Users":
            environment["DATABASE_URL"] = try #require(outer["DATABASE_URL_USERS"], "run via make test")
            environment["JWT_SIGNING_KEY"] = Self.seed
            environment["MIGRATIONS_DIR"] = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/Users/Migrations").path
        case "Problems":
            environment["DATABASE_URL"] = try #require(outer["DATABASE_URL_PROBLEMS"], "run via make test")
            environment["MIGRATIONS_DIR"] = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/Problems/Migrations").path
        case "Submissions":
            environment["DATABASE_URL"] = try #require(outer["DATABASE_URL_SUBMISSIONS"], "run via make test")
            environment["REDIS_URL"] = try #require(outer["REDIS_URL"], "run via make test")
            environment["PROBLEMS_ADDR"] = "127.0.0.1:1"
            environment["RANKED_MATCHES_PER_ROOM"] = "0"
            environment["MIGRATIONS_DIR"] = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/Submissions/Migrations").path
        case "JudgeService":
            environment["REDIS_URL"] = try #require(outer["REDIS_URL"], "run via make test")
            environment["JUDGE_WORK_DIR"] = NSTemporaryDirectory() + "service-process-judge-\(getpid())"
            environment["JUDGE_WORKERS"] = "1"
            environment["JUDGE_SANDBOX_CGROUP_PARENT"] = "algosports-test/service-process-\(getpid())"
            environment["JUDGE_SANDBOX_UID_BASE"] = "62000"
            environment["JUDGE_SANDBOX_GID_BASE"] = "62000"
        case "Edge":
            environment["REDIS_URL"] = try #require(outer["REDIS_URL"], "run via make test")
            environment["JWT_PUBLIC_KEY"] = Self.publicKey
            environment["EDGE_PORT"] = String(try freePort())
            environment["USERS_ADDR"] = "127.0.0.1:1"
        default: break
        }
        return environment
    }

    func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test("each service starts, answers Health over authenticated RPC and its admin port, and exits 0 on SIGTERM", arguments: services)
    func startAnswerStop(executable: String, name: String) async throws {
        let adminPort = try freePort()
        let service = try ServiceProcess(executable, environment: try Self.environment(for: executable, adminPort: adminPort))
        let port = try service.listeningPort()
        var configuration = RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: port)], authenticator: PeerAuthenticator(secret: ServiceProcess.secret))
        configuration.defaultTimeout = .seconds(5)
        let rpc = RPCClient(configuration: configuration, logger: Logger(label: "test"))
        let health = try await CommonV1.HealthClient(rpc).check(CommonV1.HealthCheckRequest())
        #expect(health.status == .serving, "alive")
        #expect(health.service == name)

        #expect(try await self.get(adminPort, "/healthz").status == 200)
        let metrics = try await self.get(adminPort, "/metrics")
        #expect(metrics.status == 200 && metrics.body.contains("rpc_server_requests_total"), "the Health call is counted")
        if executable == "Users" || executable == "Problems" || executable == "Submissions" {
            // Migrations run against the real database; then every dependency answers.
            var ready = false
            for _ in 0..<100 where !ready {
                ready = try await self.get(adminPort, "/readyz").status == 200
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready)
        }
        if executable == "Edge" {
            let readiness = try await self.get(adminPort, "/readyz")
            #expect(readiness.status == 503, "Users is unreachable, so Edge is not ready: \(readiness.body)")
        }
        await rpc.close()
        #expect(service.terminate() == 0)
    }

    @Test("a missing secret stops the service with a message naming the variable")
    func missingSecret() throws {
        let service = try ServiceProcess("Problems", environment: ["RPC_PORT": "0"])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("RPC_SECRET"))
    }

    @Test("a missing database URL stops Users with a message naming it")
    func missingDatabase() throws {
        let service = try ServiceProcess("Users", environment: ["RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "0", "JWT_SIGNING_KEY": Self.seed])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("DATABASE_URL"))
    }

    @Test("an invalid port stops the service with a message naming the variable")
    func badPort() throws {
        let service = try ServiceProcess("Problems", environment: ["RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "99999"])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("RPC_PORT"))
    }

    @Test("a short secret is refused")
    func shortSecret() throws {
        let service = try ServiceProcess("JudgeService", environment: ["RPC_SECRET": "short", "RPC_PORT": "0"])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("at least 16 bytes"))
    }
}
