import JudgeCore
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The engine on the real sandbox (bubblewrap, cgroups, the slot helper): what JudgeService runs.
@Suite("Judging in the real sandbox", .serialized)
struct JudgingInSandboxTests {
    static let aPlusB = """
        #include <stdio.h>
        int main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); return 0; }
        """

    @Test func aPlusBInCIsAcceptedWithCgroupMeasurements() async throws {
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: Self.aPlusB, timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .accepted, "\(result)")
            #expect(result.tests.count == 2)
            #expect(result.tests.allSatisfy { $0.memoryKilobytes > 0 }, "peak memory comes from the cgroup")
        }
    }

    /// Compiled and run inside the sandbox, toolchains read-only: every language's A+B and its
    /// syntax error.
    @Test(arguments: ["c", "cpp", "python", "javascript", "java"])
    func everyLanguageIsAcceptedAndItsSyntaxErrorIsCE(language: String) async throws {
        try await withEngine(languages: DefaultLanguages.all) { engine, tests in
            let accepted = await engine.judge(JudgeRequest(
                language: language, source: EngineLanguageTests.aPlusB[language]!, timeLimitMilliseconds: 5000, memoryLimitMegabytes: 256, tests: tests
            )) { _ in }
            #expect(accepted.verdict == .accepted, "\(language): \(accepted)")
            let (source, message) = EngineLanguageTests.syntaxErrors[language]!
            let broken = await engine.judge(JudgeRequest(language: language, source: source, timeLimitMilliseconds: 5000, memoryLimitMegabytes: 256, tests: tests)) { _ in }
            #expect(broken.verdict == .compilationError && broken.compileOutput.contains(message), "\(language): \(broken)")
        }
    }

    @Test func bigAllocationIsMLE() async throws {
        let hog = """
            #include <stdlib.h>
            #include <string.h>
            int main(void) { for (int i = 0; i < 64; i++) { char *p = malloc(16 << 20); if (!p) return 3; memset(p, 1, 16 << 20); } return 0; }
            """
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: hog, timeLimitMilliseconds: 2000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .memoryLimitExceeded, "\(result)")
        }
    }

    @Test func exit137IsARuntimeErrorNotAKill() async throws {
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: "#include <stdlib.h>\nint main(void) { exit(137); }", timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .runtimeError)
            #expect(result.tests.first?.exitCode == 137)
            #expect(result.tests.first?.signal == nil)
        }
    }

    /// gcc reads a character device as a header until a compile limit stops it: a CE, not a hung judge.
    @Test func includingDevRandomIsACompilationError() async throws {
        try await withEngine { engine, tests in
            let source = "#include </dev/random>\nint main(void) { return 0; }\n"
            let result = await engine.judge(JudgeRequest(language: "c", source: source, timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .compilationError, "\(result)")
            #expect(result.tests.isEmpty)
        }
    }

    /// The services' own PostgreSQL and Redis listen on 127.0.0.1; a submission prints the sum only
    /// when it cannot reach either, so AC means contained.
    @Test func theDatabasePortsOnLoopbackAreUnreachable() async throws {
        let ports = try ["DATABASE_URL_USERS", "REDIS_URL"].map { variable in
            let url = try #require(getenv(variable).map { String(cString: $0) }, "\(variable) is set by make test")
            return try #require(Self.port(in: url), "no port in \(variable)")
        }
        for port in ports {
            #expect(Self.canConnect(port: port), "the host itself reaches port \(port), so the check below means something")
        }
        let source = """
            #include <arpa/inet.h>
            #include <stdio.h>
            #include <sys/socket.h>
            #include <unistd.h>
            static int reach(int port) {
                int fd = socket(AF_INET, SOCK_STREAM, 0);
                if (fd < 0) return 0;
                struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
                a.sin_addr.s_addr = htonl(0x7f000001);
                int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
                close(fd);
                return ok;
            }
            int main(void) {
                long long a, b;
                scanf("%lld %lld", &a, &b);
                if (reach(\(ports[0])) || reach(\(ports[1]))) { puts("connected"); return 0; }
                printf("%lld\\n", a + b);
                return 0;
            }
            """
        try await withEngine { engine, tests in
            let result = await engine.judge(JudgeRequest(language: "c", source: source, timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests)) { _ in }
            #expect(result.verdict == .accepted, "\(result)")
        }
    }

    static func port(in url: String) -> Int? {
        let authority = url.split(separator: "@").last.map(String.init) ?? url
        let hostPort = authority.split(separator: "/").first { $0.contains(":") && !$0.hasSuffix(":") }
        return hostPort.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    func withEngine(languages: [LanguageConfiguration] = [DefaultLanguages.c], _ body: (JudgeEngine, [TestFile]) async throws -> Void) async throws {
        var template = Array("/tmp/judging-in-sandbox.XXXXXX".utf8CString)
        let root = String(cString: try #require(mkdtemp(&template)))
        chmod(root, 0o755)
        let sandbox = try BubblewrapSandbox.start(SandboxConfiguration(
            slots: 2, uidBase: 61_000, gidBase: 61_000, cgroupParent: "algosports-test/\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
            workRoot: root + "/sandbox"
        ))
        do {
            let engine = try await JudgeEngine(
                configuration: JudgeEngineConfiguration(cacheDirectory: root + "/cache", workDirectory: root + "/work", languages: languages),
                sandbox: sandbox, logger: Logger(label: "judging-in-sandbox")
            )
            var tests: [TestFile] = []
            for (index, (input, answer)) in [("1 2\n", "3\n"), ("40 2\n", "42\n")].enumerated() {
                let inputPath = "\(root)/\(index).in", answerPath = "\(root)/\(index).ans"
                try write(inputPath, input)
                try write(answerPath, answer)
                tests.append(TestFile(name: String(index + 1), inputPath: inputPath, answerPath: answerPath))
            }
            try await body(engine, tests)
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
    }

    func write(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
