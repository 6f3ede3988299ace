import Logging

/// Judges one submission: compiles it (once, cached), runs every test in a fresh sandbox box,
/// checks outputs and scores. Anything that is the judge's fault comes back as SE with a log
/// line; `judge` never throws.
public final class JudgeEngine: Sendable {
    private struct Language: Sendable {
        var configuration: LanguageConfiguration
        var version: String
    }

    let configuration: JudgeEngineConfiguration
    let sandbox: any SandboxRunner
    let logger: Logger
    private let catalog: [String: Language]
    private let order: [String]
    let cache: CompileCache
    private let compiler: Compiler
    private let runner: TestRunner

    /// Probes each language's version through the sandbox; throws when the directories cannot
    /// be created or a language's toolchain does not run.
    public init(configuration: JudgeEngineConfiguration, sandbox: any SandboxRunner, logger: Logger) async throws {
        try LanguageFile.validate(configuration.languages, path: "configuration")
        self.configuration = configuration
        self.sandbox = sandbox
        self.logger = logger
        try FileSystem.makeDirectories(configuration.workDirectory)
        try FileSystem.makeDirectories(configuration.cacheDirectory + "/pch")
        let root = configuration.cacheDirectory + "/compiled"
        let bytes = configuration.compileCacheBytes
        self.cache = try await blocking { try CompileCache(root: root, maximumBytes: bytes) }
        let headers = PrecompiledHeaders(root: configuration.cacheDirectory + "/pch", sandbox: sandbox, logger: logger)
        self.compiler = Compiler(sandbox: sandbox, cache: self.cache, headers: headers, logger: logger)
        self.runner = TestRunner(sandbox: sandbox, configuration: configuration, logger: logger)
        var catalog: [String: Language] = [:]
        for language in configuration.languages {
            let version = try await VersionProbe.version(of: language, sandbox: sandbox, workDirectory: configuration.workDirectory)
            catalog[language.id] = Language(configuration: language, version: version)
            logger.info("language ready", metadata: ["language": "\(language.id)", "version": "\(version)"])
        }
        self.catalog = catalog
        self.order = configuration.languages.map(\.id)
    }

    public var languages: [LanguageInfo] {
        self.order.compactMap { self.catalog[$0] }.map { language in
            let configuration = language.configuration
            return LanguageInfo(
                id: configuration.id, name: configuration.name, version: language.version,
                compileCommand: configuration.compile?.joined(separator: " ") ?? "",
                runCommand: configuration.run.joined(separator: " "), sourceFileName: configuration.sourceFileName
            )
        }
    }

    /// Bytes held by the compile cache now.
    public var compileCacheBytes: Int { self.cache.totalBytes }

    public func judge(_ request: JudgeRequest, progress: @Sendable (JudgeProgress) async -> Void) async -> JudgeResult {
        // A problem without tests or limits would accept anything: the problem's fault, not the user's.
        guard !request.tests.isEmpty, request.timeLimitMilliseconds > 0, request.memoryLimitMegabytes > 0 else {
            let problem = "no tests, or no time or memory limit (\(request.tests.count) tests, \(request.timeLimitMilliseconds) ms, \(request.memoryLimitMegabytes) MB)"
            return self.systemError(problem, error: nil, scoring: Scoring(request.scoring, tests: request.tests))
        }
        let workspace: Workspace
        do {
            let parent = self.configuration.workDirectory
            workspace = try await blocking { try Workspace(parent: parent) }
        } catch {
            return self.systemError("cannot create a workspace", error: error, scoring: Scoring(request.scoring, tests: request.tests))
        }
        var pinned: [CompileCache.Entry] = []
        let result = await self.judge(request, workspace: workspace, pinned: &pinned, progress: progress)
        for entry in pinned { self.cache.release(entry) }
        try? await blocking { workspace.remove() }
        return result
    }

    private func judge(
        _ request: JudgeRequest, workspace: Workspace, pinned: inout [CompileCache.Entry], progress: @Sendable (JudgeProgress) async -> Void
    ) async -> JudgeResult {
        var scoring = Scoring(request.scoring, tests: request.tests)

        await progress(.compiling)
        let solution: Program
        var compileOutput = ""
        do {
            var source = request.source
            if let wrapper = request.wrapper { source += "\n" + wrapper + "\n" }
            switch try await self.compile(request.language, source: source, workspace: workspace) {
            case .compiled(let program, let output):
                pinned.append(program.entry)
                solution = program
                compileOutput = output
            case .failed(let diagnostics):
                return JudgeResult(verdict: .compilationError, score: 0, maxScore: scoring.maxScore, compileOutput: diagnostics, tests: [])
            case .unknownLanguage:
                return self.systemError("unknown language \(request.language)", error: nil, scoring: scoring)
            }
        } catch {
            return self.systemError("compilation failed", error: error, scoring: scoring)
        }

        // The problem's own programs: failing to compile them is never the submission's fault.
        var helpers: [Program?] = []
        let checkerSource: ProgramSource? = if case .custom(let source) = request.checker { source } else { nil }
        for (role, source) in [("checker", checkerSource), ("interactor", request.interactor)] {
            guard let source else {
                helpers.append(nil)
                continue
            }
            do {
                switch try await self.compile(source.language, source: source.source, workspace: workspace) {
                case .compiled(let program, _):
                    pinned.append(program.entry)
                    helpers.append(program)
                case .failed(let diagnostics):
                    return self.systemError("the \(role) does not compile: \(diagnostics.prefix(512))", error: nil, scoring: scoring)
                case .unknownLanguage:
                    return self.systemError("unknown language \(source.language) of the \(role)", error: nil, scoring: scoring)
                }
            } catch {
                return self.systemError("the \(role) failed to compile", error: error, scoring: scoring)
            }
        }

        for (index, test) in request.tests.enumerated() where !scoring.shouldSkip(index) {
            await progress(.running(test: index + 1, of: request.tests.count))
            let (outcome, fraction) = await self.runner.run(
                test, index: index, solution: solution, request: request, checker: helpers[0], interactor: helpers[1], workspace: workspace
            )
            scoring.record(index, outcome, fraction: fraction)
        }
        return scoring.result(compileOutput: compileOutput)
    }

    enum Compiled {
        case compiled(Program, output: String)
        case failed(String)
        case unknownLanguage
    }

    func compile(_ id: String, source: String, workspace: Workspace) async throws -> Compiled {
        guard let language = self.catalog[id] else { return .unknownLanguage }
        switch try await self.compiler.compile(language.configuration, version: language.version, source: source, workspace: workspace) {
        case .compiled(let entry, let cached):
            self.logger.debug("compiled", metadata: ["language": "\(id)", "cached": "\(cached)"])
            return .compiled(Program(entry: entry, language: language.configuration), output: entry.compileOutput)
        case .failed(let diagnostics):
            return .failed(diagnostics)
        }
    }

    /// The include directory of the language's precompiled header once built and verified
    /// (nil without one); builds it when needed.
    func precompiledHeaderDirectory(language id: String) async -> String? {
        guard let language = self.catalog[id] else { return nil }
        return await self.compiler.headers.directory(for: language.configuration, version: language.version)
    }

    private func systemError(_ message: String, error: (any Error)?, scoring: Scoring) -> JudgeResult {
        var metadata: Logger.Metadata = [:]
        if let error { metadata["error"] = "\(error)" }
        self.logger.error("\(message)", metadata: metadata)
        return JudgeResult(verdict: .systemError, score: 0, maxScore: scoring.maxScore, compileOutput: "", tests: [])
    }
}
