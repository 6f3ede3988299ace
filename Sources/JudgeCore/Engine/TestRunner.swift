#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Logging

/// A compiled program ready to run: its cache entry (mounted at /prog) and its language.
struct Program: Sendable {
    var entry: CompileCache.Entry
    var language: LanguageConfiguration

    /// Its toolchain and the compiled program at /prog, read-only.
    var readOnlyBinds: [(host: String, sandbox: String)] {
        self.language.toolchainDirectories.map { (host: $0, sandbox: $0) }
            + [(host: self.entry.programDirectory, sandbox: TestRunner.programDirectory)]
    }
}

/// Runs one test: the solution in a fresh box with the test's input on stdin, then the checker;
/// or the solution and the interactor wired together. Never throws: the judge's own failures
/// become SE with a log line.
struct TestRunner: Sendable {
    /// Where programs find things inside the sandbox.
    static let programDirectory = "/prog"
    static let inputPath = "/judge/input"
    static let outputPath = "/judge/output"
    static let answerPath = "/judge/answer"

    let sandbox: any SandboxRunner
    let configuration: JudgeEngineConfiguration
    let logger: Logger

    func run(
        _ test: TestFile, index: Int, solution: Program, request: JudgeRequest, checker: Program?, interactor: Program?,
        workspace: Workspace
    ) async -> (outcome: TestOutcome, fraction: Double) {
        do {
            for path in [test.inputPath, test.answerPath] where !FileSystem.exists(path) {
                throw FileSystemError("test file", path)
            }
            if let interactor {
                return try await self.runInteractive(test, index: index, solution: solution, interactor: interactor, request: request, workspace: workspace)
            }
            let box = try workspace.makeBox("test-\(index)")
            let output = workspace.file("output-\(index)")
            let run = self.solutionRun(solution, request: request, box: box, stdin: .file(path: test.inputPath), stdout: .file(path: output))
            let outcome = try await self.sandbox.run(run)
            let limit = request.timeLimitMilliseconds
            if let verdict = VerdictMapping.verdict(outcome, cpuLimitMilliseconds: limit) {
                return (VerdictMapping.outcome(of: test, outcome, verdict: verdict), 0)
            }
            let result: CheckerResult
            if let checker {
                result = try await self.runChecker(checker, test: test, index: index, output: output, workspace: workspace)
            } else {
                let spec = request.checker
                result = try await blocking { try BuiltinCheckers.check(spec, outputPath: output, answerPath: test.answerPath) }
            }
            return self.judged(test, outcome, result)
        } catch {
            self.logger.error("test failed to run", metadata: ["test": "\(test.name)", "error": "\(error)"])
            return (TestOutcome(name: test.name, group: test.group, verdict: .systemError, checkerMessage: "judge error"), 0)
        }
    }

    private func judged(_ test: TestFile, _ outcome: SandboxOutcome, _ result: CheckerResult) -> (outcome: TestOutcome, fraction: Double) {
        if result.verdict == .systemError {
            self.logger.error("checker failed", metadata: ["test": "\(test.name)", "message": "\(result.message)"])
        }
        var judged = VerdictMapping.outcome(of: test, outcome, verdict: result.verdict)
        judged.checkerMessage = result.message
        judged.points = Double(test.points) * result.fraction
        return (judged, result.fraction)
    }

    func solutionRun(_ program: Program, request: JudgeRequest, box: String, stdin: SandboxRun.Input, stdout: SandboxRun.Output) -> SandboxRun {
        let language = program.language
        let cpu = request.timeLimitMilliseconds
        return SandboxRun(
            arguments: language.runArguments(memoryMegabytes: request.memoryLimitMegabytes),
            environment: language.environment, boxDirectory: box,
            readOnlyBinds: program.readOnlyBinds, stdin: stdin, stdout: stdout, stderr: .discard,
            limits: SandboxLimits(
                cpuMilliseconds: cpu, wallMilliseconds: 2 * cpu + 1000,
                memoryBytes: (request.memoryLimitMegabytes + language.runMemoryOverheadMegabytes) << 20,
                processes: language.processes, outputBytes: self.configuration.outputLimitBytes
            )
        )
    }

    /// The problem's own programs get the engine's checker limits.
    private func helperLimits(_ program: Program, wallMilliseconds: Int? = nil) -> SandboxLimits {
        let cpu = self.configuration.checkerTimeLimitMilliseconds
        return SandboxLimits(
            cpuMilliseconds: cpu, wallMilliseconds: max(wallMilliseconds ?? 0, 2 * cpu + 1000),
            memoryBytes: (self.configuration.checkerMemoryMegabytes + program.language.runMemoryOverheadMegabytes) << 20,
            processes: program.language.processes, outputBytes: 1 << 20
        )
    }

    /// testlib: `checker input output answer`.
    private func runChecker(_ checker: Program, test: TestFile, index: Int, output: String, workspace: Workspace) async throws -> CheckerResult {
        let box = try workspace.makeBox("checker-\(index)")
        let run = SandboxRun(
            arguments: checker.language.runArguments(memoryMegabytes: self.configuration.checkerMemoryMegabytes)
                + [Self.inputPath, Self.outputPath, Self.answerPath],
            environment: checker.language.environment, boxDirectory: box,
            readOnlyBinds: checker.readOnlyBinds + [
                (host: test.inputPath, sandbox: Self.inputPath), (host: output, sandbox: Self.outputPath),
                (host: test.answerPath, sandbox: Self.answerPath),
            ],
            limits: self.helperLimits(checker)
        )
        return TestlibResult.result(of: try await self.sandbox.run(run), role: "checker")
    }

    /// testlib: `interactor input output`, its stdout to the solution's stdin and back. The
    /// interactor's exit decides unless the solution failed by itself; see
    /// `interactiveSolutionVerdict`.
    private func runInteractive(
        _ test: TestFile, index: Int, solution: Program, interactor: Program, request: JudgeRequest, workspace: Workspace
    ) async throws -> (outcome: TestOutcome, fraction: Double) {
        let solutionRun = self.solutionRun(solution, request: request, box: try workspace.makeBox("test-\(index)"), stdin: .null, stdout: .discard)
        let interactorRun = SandboxRun(
            arguments: interactor.language.runArguments(memoryMegabytes: self.configuration.checkerMemoryMegabytes)
                + [Self.inputPath, "/box/output"],
            environment: interactor.language.environment, boxDirectory: try workspace.makeBox("interactor-\(index)"),
            readOnlyBinds: interactor.readOnlyBinds + [(host: test.inputPath, sandbox: Self.inputPath)],
            stdin: .null, stdout: .discard, stderr: .capture,
            limits: self.helperLimits(interactor, wallMilliseconds: solutionRun.limits.wallMilliseconds + 2000)
        )
        let (interactorOutcome, solutionOutcome) = try await self.sandbox.runPair(interactorRun, solutionRun)
        let result = TestlibResult.result(of: interactorOutcome, role: "interactor")
        if let verdict = Self.interactiveSolutionVerdict(
            solution: solutionOutcome, result: result, cpuLimitMilliseconds: request.timeLimitMilliseconds
        ) {
            return (VerdictMapping.outcome(of: test, solutionOutcome, verdict: verdict), 0)
        }
        return self.judged(test, solutionOutcome, result)
    }

    /// The solution's own verdict when it takes precedence over the interactor's; nil otherwise.
    /// Which program ended first cannot be told from durations alone (both end within a
    /// millisecond of each other), so the rule is by kind: time, memory, output and security
    /// limits and crashes by a signal other than SIGPIPE are the solution's own, whatever the
    /// interactor said after. A non-zero exit or SIGPIPE is usually the solution reacting to the
    /// interactor quitting (EOF, a broken pipe), so it yields to the interactor's verdict unless
    /// that was AC.
    static func interactiveSolutionVerdict(
        solution: SandboxOutcome, result: CheckerResult, cpuLimitMilliseconds: Int
    ) -> Verdict? {
        guard let verdict = VerdictMapping.verdict(solution, cpuLimitMilliseconds: cpuLimitMilliseconds) else { return nil }
        if verdict != .runtimeError { return verdict }
        if case .signaled(let signal) = solution.termination, signal != SIGPIPE { return verdict }
        return result.verdict == .accepted ? verdict : nil
    }
}
