import AlgoProto
import Foundation
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
            if chunk.isEmpty { throw CocoaError(.fileReadUnknown) }
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

@Suite("Service executables")
struct ServiceProcessTests {
    static let services = [("Users", "users"), ("Problems", "problems"), ("Submissions", "submissions"), ("JudgeService", "judge"), ("Edge", "edge")]

    @Test("each service starts, answers Health over authenticated RPC, and exits 0 on SIGTERM", arguments: services)
    func startAnswerStop(executable: String, name: String) async throws {
        let service = try ServiceProcess(executable, environment: ["RPC_SECRET": ServiceProcess.secret, "RPC_PORT": "0", "LOG_FORMAT": "json"])
        let port = try service.listeningPort()
        var configuration = RPCClientConfiguration(targets: [.init(host: "127.0.0.1", port: port)], authenticator: PeerAuthenticator(secret: ServiceProcess.secret))
        configuration.defaultTimeout = .seconds(5)
        let rpc = RPCClient(configuration: configuration, logger: Logger(label: "test"))
        var request = CommonV1.HealthCheckRequest()
        request.checkDependencies = true
        let health = try await CommonV1.HealthClient(rpc).check(request)
        #expect(health.status == .serving)
        #expect(health.service == name)
        await rpc.close()
        #expect(service.terminate() == 0)
    }

    @Test("a missing secret stops the service with a message naming the variable")
    func missingSecret() throws {
        let service = try ServiceProcess("Users", environment: ["RPC_PORT": "0"])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("RPC_SECRET"))
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
        let service = try ServiceProcess("Edge", environment: ["RPC_SECRET": "short", "RPC_PORT": "0"])
        let (status, stderr) = service.waitForExit()
        #expect(status == 2)
        #expect(stderr.contains("at least 16 bytes"))
    }
}
