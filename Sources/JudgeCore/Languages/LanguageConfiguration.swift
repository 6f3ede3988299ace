/// How to build and run one language: data, not code. The defaults are in `DefaultLanguages`; a
/// JSON file (JUDGE_LANGUAGES_FILE) replaces them.
///
/// Paths in `compile` and `run` are as the program sees them inside the sandbox: the box (read-write,
/// the working directory) at `/box`, the compiled program (read-only) at `/prog`. Arguments may use
/// `{memoryMegabytes}` (the problem's memory limit) for runtimes that size their own heap.
public struct LanguageConfiguration: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Its first line of output is the version shown to users, probed at start-up.
    public var versionCommand: [String]
    /// The submission (with the wrapper appended) is written to `/box/<sourceFileName>`.
    public var sourceFileName: String
    /// Runs in `/box`; nil when there is nothing to compile. A non-zero exit is a compilation error.
    public var compile: [String]?
    /// Files kept from the compile box as the program (`*.class` style patterns allowed); they
    /// are mounted at `/prog` for every test.
    public var artifacts: [String]
    public var run: [String]
    public var environment: [String: String]
    public var compileLimits: CompileLimits
    /// Added to the problem's memory limit in the cgroup: what the runtime itself needs beyond
    /// the heap the user gets (the JVM's metaspace and code cache).
    public var runMemoryOverheadMegabytes: Int
    /// Processes and threads a run needs (the JVM and V8 start a few dozen threads).
    public var processes: Int
    /// Host directories the toolchain reads (for the sandbox to mount read-only).
    public var toolchainDirectories: [String]
    public var precompiledHeader: PrecompiledHeader?

    public struct CompileLimits: Sendable, Hashable, Codable {
        public var wallMilliseconds: Int
        public var cpuMilliseconds: Int
        public var memoryMegabytes: Int
        public var processes: Int
        /// Cap of the diagnostics kept (and of files the compiler writes).
        public var outputBytes: Int

        public init(wallMilliseconds: Int = 15_000, cpuMilliseconds: Int = 10_000, memoryMegabytes: Int = 1024, processes: Int = 16, outputBytes: Int = 64 << 20) {
            self.wallMilliseconds = wallMilliseconds
            self.cpuMilliseconds = cpuMilliseconds
            self.memoryMegabytes = memoryMegabytes
            self.processes = processes
            self.outputBytes = outputBytes
        }
    }

    /// A header compiled once into the engine's cache and found by the compiler through an
    /// include directory mounted at `sandboxDirectory` (`-I` that directory in `compile`).
    public struct PrecompiledHeader: Sendable, Hashable, Codable {
        /// As included by submissions: `bits/stdc++.h`.
        public var header: String
        public var sandboxDirectory: String
        /// Compiles `/box/pch.h` (which includes `header`) to `/box/pch.gch`; must use the same
        /// code generation flags as `compile` or the compiler ignores the result.
        public var build: [String]

        public init(header: String, sandboxDirectory: String, build: [String]) {
            self.header = header
            self.sandboxDirectory = sandboxDirectory
            self.build = build
        }
    }

    public init(
        id: String, name: String, versionCommand: [String], sourceFileName: String, compile: [String]?,
        artifacts: [String], run: [String], environment: [String: String] = LanguageConfiguration.defaultEnvironment,
        compileLimits: CompileLimits = CompileLimits(), runMemoryOverheadMegabytes: Int = 0, processes: Int = 1,
        toolchainDirectories: [String] = ["/usr"], precompiledHeader: PrecompiledHeader? = nil
    ) {
        self.id = id
        self.name = name
        self.versionCommand = versionCommand
        self.sourceFileName = sourceFileName
        self.compile = compile
        self.artifacts = artifacts
        self.run = run
        self.environment = environment
        self.compileLimits = compileLimits
        self.runMemoryOverheadMegabytes = runMemoryOverheadMegabytes
        self.processes = processes
        self.toolchainDirectories = toolchainDirectories
        self.precompiledHeader = precompiledHeader
    }

    public static let defaultEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/box"]

    /// `run` with its placeholders filled in.
    func runArguments(memoryMegabytes: Int) -> [String] {
        self.run.map { $0.replacingPlaceholder("{memoryMegabytes}", with: String(memoryMegabytes)) }
    }
}

extension String {
    func replacingPlaceholder(_ placeholder: String, with value: String) -> String {
        guard self.contains(placeholder) else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: placeholder) {
            result += rest[..<range.lowerBound]
            result += value
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// What clients see of a language (`GET /api/v1/languages`).
public struct LanguageInfo: Sendable, Hashable {
    public var id: String
    public var name: String
    public var version: String
    public var compileCommand: String
    public var runCommand: String
    public var sourceFileName: String

    public init(id: String, name: String, version: String, compileCommand: String, runCommand: String, sourceFileName: String) {
        self.id = id
        self.name = name
        self.version = version
        self.compileCommand = compileCommand
        self.runCommand = runCommand
        self.sourceFileName = sourceFileName
    }
}
