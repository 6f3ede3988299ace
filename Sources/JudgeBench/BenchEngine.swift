import JudgeCore
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A judge engine on the real sandbox under a throwaway directory, for the benchmarks that judge
/// or play without the services.
enum BenchEngine {
    static func with<T>(
        _ name: String, slots: Int, languages: [LanguageConfiguration], _ body: (JudgeEngine, String) async throws -> T
    ) async throws -> T {
        let root = "/tmp/algosports-\(name)-\(getpid())"
        mkdir(root, 0o755)
        defer { system("rm -rf \(root)") }
        let sandbox = try BubblewrapSandbox.start(SandboxConfiguration(
            slots: slots, cgroupParent: "algosports-judge/\(name)-\(getpid())", workRoot: root + "/sandbox"
        ))
        do {
            let engine = try await JudgeEngine(
                configuration: JudgeEngineConfiguration(cacheDirectory: root + "/cache", workDirectory: root + "/work", languages: languages),
                sandbox: sandbox, logger: Logger(label: name)
            )
            let result = try await body(engine, root)
            await sandbox.shutdown()
            return result
        } catch {
            await sandbox.shutdown()
            throw error
        }
    }
}
