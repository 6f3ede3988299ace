import Glibc
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import JudgeCore

/// One engine for the whole test process (version probes and the C++ precompiled header are paid
/// once), over UnconfinedRunner. The cache lives under /tmp across runs so the header is built
/// once per machine; work directories are per process.
enum EngineFixture {
    static let root = "/tmp/algosports-judgecore-tests"
    static let runner = CountingRunner(UnconfinedRunner())

    /// Generous compile wall limits: CI machines are shared and slow.
    static let languages = DefaultLanguages.all.map { language in
        var language = language
        language.compileLimits.wallMilliseconds = 120_000
        language.compileLimits.cpuMilliseconds = 60_000
        return language
    }

    /// Test data and work directories of this process; those of finished processes are removed.
    static let run: String = {
        if let directory = opendir(root) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name.hasPrefix("run-"), let pid = Int32(name.dropFirst(4)), kill(pid, 0) != 0, errno == ESRCH {
                    FileSystem.removeTree(root + "/" + name)
                }
            }
            closedir(directory)
        }
        return root + "/run-\(getpid())"
    }()

    static let configuration = JudgeEngineConfiguration(
        cacheDirectory: root + "/cache", compileCacheBytes: 512 << 20,
        workDirectory: run + "/work", languages: languages, outputLimitBytes: 4 << 20
    )

    private static let engineTask = Task {
        var logger = Logger(label: "judgecore-tests")
        logger.logLevel = .warning
        return try await JudgeEngine(configuration: configuration, sandbox: runner, logger: logger)
    }

    static func engine() async throws -> JudgeEngine {
        try await self.engineTask.value
    }

    /// Judges and records the progress reports.
    static func judge(_ request: JudgeRequest) async throws -> (JudgeResult, [JudgeProgress]) {
        let engine = try await self.engine()
        let progress = NIOLockedValueBox<[JudgeProgress]>([])
        let result = await engine.judge(request) { report in progress.withLockedValue { $0.append(report) } }
        return (result, progress.withLockedValue { $0 })
    }

    static func judge(
        _ language: String, _ source: String, wrapper: String? = nil, tests: [TestFile], timeLimit: Int = 5000,
        checker: CheckerSpec = .tokens, interactor: ProgramSource? = nil, scoring: ScoringSpec = .icpc
    ) async throws -> JudgeResult {
        let request = JudgeRequest(
            language: language, source: source, wrapper: wrapper, timeLimitMilliseconds: timeLimit, memoryLimitMegabytes: 256,
            checker: checker, interactor: interactor, scoring: scoring, tests: tests
        )
        return try await self.judge(request).0
    }
}

/// Test files on disk, in a directory of their own.
enum TestData {
    static func make(_ cases: [(input: String, answer: String)], group: String = "", points: Int = 0, prefix: String = "") throws -> [TestFile] {
        let directory = EngineFixture.run + "/data-" + FileSystem.randomName()
        try FileSystem.makeDirectories(directory)
        return try cases.enumerated().map { index, test in
            let name = prefix + String(index + 1)
            try FileSystem.writeFile(directory + "/\(name).in", Array(test.input.utf8))
            try FileSystem.writeFile(directory + "/\(name).ans", Array(test.answer.utf8))
            return TestFile(name: name, group: group, points: points, inputPath: directory + "/\(name).in", answerPath: directory + "/\(name).ans")
        }
    }

    static let aPlusB: [(input: String, answer: String)] = [
        ("2 3\n", "5\n"), ("-5 10\n", "5\n"), ("1000000000 1000000000\n", "2000000000\n"),
    ]
}

/// Remembers the sources each compiler was given (read from the box before the run), so tests
/// can tell a compile from a cache hit.
struct CountingRunner: SandboxRunner {
    let inner: any SandboxRunner
    let compiled = NIOLockedValueBox<[String]>([])

    init(_ inner: any SandboxRunner) {
        self.inner = inner
    }

    func run(_ run: SandboxRun) async throws -> SandboxOutcome {
        if let source = run.arguments.last(where: { $0.hasPrefix("main.") || $0 == "Main.java" }),
           let bytes = try? FileSystem.readFile(run.boxDirectory + "/" + source)
        {
            self.compiled.withLockedValue { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        return try await self.inner.run(run)
    }

    func runPair(_ a: SandboxRun, _ b: SandboxRun) async throws -> (SandboxOutcome, SandboxOutcome) {
        try await self.inner.runPair(a, b)
    }

    func compileCount(of source: String) -> Int {
        self.compiled.withLockedValue { $0.filter { $0.contains(source) }.count }
    }
}
