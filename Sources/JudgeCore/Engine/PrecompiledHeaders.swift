#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Logging
import ServiceKit

/// Builds each language's precompiled header once (on its first compile), in the sandbox, into
/// `<cache>/pch/<key>/<header>.gch`, and checks with `-H` that the compiler really uses it; a
/// header the compiler ignores is dropped with a warning (compiles still work, only slower).
actor PrecompiledHeaders {
    private let root: String
    private let sandbox: any SandboxRunner
    private let logger: Logger
    private var builds: [String: Task<String?, Never>] = [:]

    init(root: String, sandbox: any SandboxRunner, logger: Logger) {
        self.root = root
        self.sandbox = sandbox
        self.logger = logger
    }

    /// The host directory to mount at the header's sandbox directory, or nil.
    func directory(for language: LanguageConfiguration, version: String) async -> String? {
        if let build = self.builds[language.id] { return await build.value }
        let build = Task { await self.build(language, version: version) }
        self.builds[language.id] = build
        return await build.value
    }

    private nonisolated func build(_ language: LanguageConfiguration, version: String) async -> String? {
        guard let header = language.precompiledHeader else { return nil }
        var hash = SHA256()
        hash.update(field: version)
        hash.update(field: header.header)
        hash.update(fields: header.build)
        let directory = self.root + "/" + hash.finalizeHex()
        let target = directory + "/" + header.header + ".gch"
        do {
            if !FileSystem.exists(target) {
                let started = ContinuousClock.now
                try await self.compileHeader(language, header, into: directory, target: target)
                self.logger.info("precompiled header built", metadata: ["language": "\(language.id)", "seconds": "\(ContinuousClock.now - started)"])
            }
            guard try await self.isUsed(language, header, directory: directory) else {
                self.logger.warning("precompiled header ignored by the compiler; compiling without it", metadata: ["language": "\(language.id)"])
                return nil
            }
            return directory
        } catch {
            self.logger.error("precompiled header failed; compiling without it", metadata: ["language": "\(language.id)", "error": "\(error)"])
            return nil
        }
    }

    private nonisolated func compileHeader(_ language: LanguageConfiguration, _ header: LanguageConfiguration.PrecompiledHeader, into directory: String, target: String) async throws {
        let box = self.root + "/.build-" + FileSystem.randomName()
        try FileSystem.makeBox(box)
        defer { FileSystem.removeTree(box) }
        try FileSystem.writeFile(box + "/pch.h", Array("#include <\(header.header)>\n".utf8))
        let outcome = try await self.sandbox.run(
            SandboxRun(
                arguments: header.build, environment: language.environment, boxDirectory: box,
                readOnlyBinds: language.toolchainDirectories.map { (host: $0, sandbox: $0) },
                limits: SandboxLimits(cpuMilliseconds: 120_000, wallMilliseconds: 600_000, memoryBytes: 2 << 30, processes: 16, outputBytes: 1 << 30)
            )
        )
        guard case .exited(0) = outcome.termination else {
            throw PrecompiledHeaderError(message: String(decoding: outcome.stderr.prefix(2048), as: UTF8.self))
        }
        // Built beside the final place and renamed: a crash never leaves half a header.
        let staging = self.root + "/.staging-" + FileSystem.randomName()
        try FileSystem.makeDirectories(staging + "/" + String(header.header.split(separator: "/").dropLast().joined(separator: "/")))
        guard try await blocking({ try BoxDirectory(box).copy("pch.gch", to: staging + "/" + header.header + ".gch", limit: 1 << 30) }) else {
            throw PrecompiledHeaderError(message: "no pch.gch")
        }
        if rename(staging, directory) != 0 { FileSystem.removeTree(staging) }
    }

    /// gcc's `-H` marks a used precompiled header with `!`.
    private nonisolated func isUsed(_ language: LanguageConfiguration, _ header: LanguageConfiguration.PrecompiledHeader, directory: String) async throws -> Bool {
        guard let compile = language.compile else { return false }
        let box = self.root + "/.probe-" + FileSystem.randomName()
        try FileSystem.makeBox(box)
        defer { FileSystem.removeTree(box) }
        try FileSystem.writeFile(box + "/" + language.sourceFileName, Array("#include <\(header.header)>\nint main() { return 0; }\n".utf8))
        let outcome = try await self.sandbox.run(
            SandboxRun(
                arguments: compile + ["-H"], environment: language.environment, boxDirectory: box,
                readOnlyBinds: language.toolchainDirectories.map { (host: $0, sandbox: $0) } + [(host: directory, sandbox: header.sandboxDirectory)],
                limits: SandboxLimits(cpuMilliseconds: 60_000, wallMilliseconds: 300_000, memoryBytes: 2 << 30, processes: 16, outputBytes: 64 << 20)
            )
        )
        let lines = String(decoding: outcome.stderr, as: UTF8.self).split(separator: "\n")
        return lines.contains { $0.hasPrefix("! ") && $0.hasSuffix(header.header + ".gch") }
    }
}

struct PrecompiledHeaderError: Error, CustomStringConvertible {
    var message: String
    var description: String { "precompiled header: \(self.message)" }
}
