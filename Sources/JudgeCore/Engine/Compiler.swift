import Logging
import ServiceKit

/// Compiles a program once, in the sandbox, into the compile cache. Submissions, checkers and
/// interactors all come through here.
struct Compiler: Sendable {
    enum Result: Sendable {
        /// A pinned cache entry: release it when the judging is done.
        case compiled(CompileCache.Entry, cached: Bool)
        /// The program's fault (CE), with the compiler's diagnostics.
        case failed(String)
    }

    /// Diagnostics kept for users.
    static let diagnosticsLimit = 8 << 10

    let sandbox: any SandboxRunner
    let cache: CompileCache
    let headers: PrecompiledHeaders
    let logger: Logger

    /// The cache key: anything that changes the compiled program changes it.
    static func key(_ language: LanguageConfiguration, version: String, source: String) -> String {
        var hash = SHA256()
        hash.update(field: "algosports-compile-v1")
        hash.update(field: language.id)
        hash.update(field: version)
        hash.update(fields: language.compile ?? [])
        hash.update(fields: language.artifacts)
        hash.update(field: language.sourceFileName)
        hash.update(field: source)
        return hash.finalizeHex()
    }

    /// Throws only for the judge's own failures (SE).
    func compile(_ language: LanguageConfiguration, version: String, source: String, workspace: Workspace) async throws -> Result {
        let key = Self.key(language, version: version, source: source)
        if let entry = self.cache.lookup(key) { return .compiled(entry, cached: true) }

        let box = try workspace.makeBox("compile-" + FileSystem.randomName())
        try await blocking { try FileSystem.writeFile(box + "/" + language.sourceFileName, Array(source.utf8)) }
        var diagnostics = ""
        if let arguments = language.compile {
            var binds = language.toolchainDirectories.map { (host: $0, sandbox: $0) }
            if let header = language.precompiledHeader, let directory = await self.headers.directory(for: language, version: version) {
                binds.append((host: directory, sandbox: header.sandboxDirectory))
            }
            let limits = language.compileLimits
            let outcome = try await self.sandbox.run(
                SandboxRun(
                    arguments: arguments, environment: language.environment, boxDirectory: box, readOnlyBinds: binds,
                    limits: SandboxLimits(
                        cpuMilliseconds: limits.cpuMilliseconds, wallMilliseconds: limits.wallMilliseconds,
                        memoryBytes: limits.memoryMegabytes << 20, processes: limits.processes, outputBytes: limits.outputBytes
                    )
                )
            )
            diagnostics = Self.diagnostics(outcome.stdout + outcome.stderr)
            if let failure = Self.failure(outcome, diagnostics: diagnostics) { return .failed(failure) }
        }

        let staging = try self.cache.makeStaging()
        do {
            let limit = language.compileLimits.outputBytes
            let missing = try await blocking { try BoxDirectory(box).copy(language.artifacts, to: staging + "/prog", limit: limit) }
            guard missing.isEmpty else {
                FileSystem.removeTree(staging)
                return .failed(diagnostics + "compilation produced no \(missing.joined(separator: ", "))")
            }
            let output = diagnostics
            let entry = try await blocking { try self.cache.insert(key, staging: staging, compileOutput: output) }
            return .compiled(entry, cached: false)
        } catch {
            FileSystem.removeTree(staging)
            throw error
        }
    }

    /// nil when the compiler succeeded.
    static func failure(_ outcome: SandboxOutcome, diagnostics: String) -> String? {
        if outcome.cpuLimitHit || outcome.wallLimitHit { return diagnostics + "compilation time limit exceeded" }
        if outcome.memoryLimitHit { return diagnostics + "compilation memory limit exceeded" }
        if outcome.outputLimitHit { return diagnostics + "compilation output limit exceeded" }
        if outcome.securityViolation { return diagnostics + "the compiler made a forbidden system call" }
        switch outcome.termination {
        case .exited(0): return nil
        case .exited(let code): return diagnostics.isEmpty ? "the compiler exited with code \(code)" : diagnostics
        case .signaled(let signal): return diagnostics + "the compiler was killed by signal \(signal)"
        }
    }

    static func diagnostics(_ bytes: [UInt8]) -> String {
        guard bytes.count > Self.diagnosticsLimit else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.prefix(Self.diagnosticsLimit), as: UTF8.self) + "\n… (truncated)\n"
    }
}
