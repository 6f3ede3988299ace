/// A language's version: the first line its `versionCommand` prints (stdout, else stderr), run
/// in the sandbox like everything else.
enum VersionProbe {
    struct Failed: Error, CustomStringConvertible {
        var language: String
        var detail: String
        var description: String { "language \(self.language): version probe failed: \(self.detail)" }
    }

    static func version(of language: LanguageConfiguration, sandbox: any SandboxRunner, workDirectory: String) async throws -> String {
        let box = workDirectory + "/probe-" + FileSystem.randomName()
        try FileSystem.makeBox(box)
        defer { FileSystem.removeTree(box) }
        let outcome = try await sandbox.run(
            SandboxRun(
                arguments: language.versionCommand, environment: language.environment, boxDirectory: box,
                readOnlyBinds: language.toolchainDirectories.map { (host: $0, sandbox: $0) },
                limits: SandboxLimits(
                    cpuMilliseconds: 10_000, wallMilliseconds: 60_000, memoryBytes: 1 << 30, processes: 64, outputBytes: 64 << 10
                )
            )
        )
        guard case .exited(0) = outcome.termination else {
            throw Failed(language: language.id, detail: "\(outcome.termination): \(TestlibResult.firstLine(outcome.stderr))")
        }
        let line = TestlibResult.firstLine(outcome.stdout.isEmpty ? outcome.stderr : outcome.stdout)
        guard !line.isEmpty else { throw Failed(language: language.id, detail: "no output") }
        return line
    }
}
