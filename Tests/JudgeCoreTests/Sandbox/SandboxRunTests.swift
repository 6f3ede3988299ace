#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import NIOPosix
import Testing

/// What a well-behaved program sees and what the judge gets back.
@Suite(.serialized) struct SandboxRunTests {
    @Test func stdoutAndStderrAreCapturedExactly() async throws {
        try await withSandbox { harness in
            let input = "/tmp/algosports-sandbox-input-\(getpid())"
            try writeHostFile(input, "first\nsecond\n", mode: 0o644)
            defer { unlink(input) }
            let outcome = try await harness.sandbox.run(harness.program("echo", ["a b", "c"], stdin: .file(path: input)))
            let uid = harness.configuration.uidBase
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText == "uid=\(uid) gid=\(uid) groups=0 cwd=/box\nin: first\nin: second\narg: a b\narg: c\n")
            #expect(outcome.stderrText == "to stderr\n")
            #expect(!outcome.cpuLimitHit && !outcome.wallLimitHit && !outcome.memoryLimitHit && !outcome.outputLimitHit)
            #expect(outcome.peakMemoryBytes > 0 && outcome.peakMemoryBytes < 64 << 20)
        }
    }

    /// A second judge on the same cgroup parent would kill the first one's helpers as leftovers.
    @Test func aSecondSandboxOnTheSameCgroupParentIsRefused() async throws {
        try await withSandbox { harness in
            var second = harness.configuration
            second.workRoot += "-second"
            do {
                let sandbox = try BubblewrapSandbox.start(second)
                await sandbox.shutdown()
                Issue.record("a second sandbox started on \(second.cgroupParent)")
            } catch {
                #expect("\(error)".contains("JUDGE_SANDBOX_CGROUP_PARENT"), "\(error)")
            }
            // The first one is untouched.
            let outcome = try await harness.sandbox.run(harness.program("echo", []))
            #expect(outcome.termination == .exited(0))
        }
    }

    /// PR_SET_PDEATHSIG follows the thread that spawned a process: slot helpers started on a
    /// thread that then exits (an idle Swift concurrency thread does after seconds) must live on.
    @Test func slotsOutliveTheThreadThatStartedThem() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let harness = try await pool.runIfActive { try SandboxHarness.start() }
        try await pool.shutdownGracefully()
        try await Task.sleep(for: .milliseconds(300))
        do {
            let outcome = try await harness.sandbox.run(harness.program("echo", []))
            #expect(outcome.termination == .exited(0))
        } catch {
            try await harness.stop()
            throw error
        }
        try await harness.stop()
    }

    @Test func exitCodeIsTheProgramsNotAKill() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("exit", ["137"]))
            #expect(outcome.termination == .exited(137))
            let three = try await harness.sandbox.run(harness.program("exit", ["3"]))
            #expect(three.termination == .exited(3))
        }
    }

    @Test func segfaultIsSignal11() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("segfault"))
            #expect(outcome.termination == .signaled(SIGSEGV))
            #expect(!outcome.securityViolation)
        }
    }

    @Test func outputFileIsCreatedByTheJudgeAndNeverReplaced() async throws {
        try await withSandbox { harness in
            let path = "/tmp/algosports-sandbox-out-\(getpid())"
            unlink(path)
            defer { unlink(path) }
            var run = try harness.program("echo")
            run.stdout = .file(path: path)
            let outcome = try await harness.sandbox.run(run)
            #expect(outcome.termination == .exited(0))
            #expect(readHostFile(path)?.hasPrefix("uid=") == true)
            // O_EXCL: an existing file (or a link planted there) is refused, never truncated.
            await #expect(throws: SandboxError.self) { try await harness.sandbox.run(run) }
            #expect(readHostFile(path)?.hasPrefix("uid=") == true)
        }
    }

    @Test func runPairWiresStdoutToTheOthersStdin() async throws {
        try await withSandbox(slots: 2) { harness in
            // Each side has its own box, as each belongs to its slot's uid during the run.
            var pong = try harness.program("pong")
            pong.boxDirectory = try harness.sandbox.makeBox()
            defer { try? BoxFiles.remove(box: pong.boxDirectory) }
            let (a, b) = try await harness.sandbox.runPair(harness.program("ping"), pong)
            #expect(a.termination == .exited(0))
            #expect(b.termination == .exited(0))
            #expect(a.stderrText == "got pong\n")
            #expect(b.stderrText == "got ping\n")
        }
    }

    @Test func pythonRunsFromTheReadOnlyToolchain() async throws {
        try await withSandbox { harness in
            let run = SandboxRun(
                arguments: ["/usr/bin/python3", "-c", "import sys; print(sum(range(10)), sys.version_info[0])"],
                boxDirectory: harness.box, limits: SandboxHarness.limits(wall: 20_000, memory: 128 << 20)
            )
            let outcome = try await harness.sandbox.run(run)
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText == "45 3\n")
        }
    }

    /// The JVM and V8 start threads (clone) and probe calls the filter refuses; both must run.
    @Test(arguments: [
        (["/usr/bin/node", "-e", "console.log(6 * 7)"], "42\n"),
        (["/usr/bin/java", "-Xmx256m", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-version"], ""),
    ])
    func runtimesWithThreadsRun(_ arguments: [String], _ expected: String) async throws {
        try await withSandbox { harness in
            let run = SandboxRun(
                arguments: arguments, boxDirectory: harness.box,
                limits: SandboxHarness.limits(cpu: 20_000, wall: 60_000, memory: 1 << 30, processes: 64)
            )
            let outcome = try await harness.sandbox.run(run)
            #expect(outcome.termination == .exited(0), "\(outcome.stderrText)")
            #expect(outcome.stdoutText == expected)
            #expect(!outcome.securityViolation)
        }
    }

    @Test func invalidRunsAreRefusedBeforeAnythingStarts() async throws {
        try await withSandbox { harness in
            let limits = SandboxHarness.limits()
            for run in [
                SandboxRun(arguments: [], boxDirectory: harness.box, limits: limits),
                SandboxRun(arguments: ["relative"], boxDirectory: harness.box, limits: limits),
                SandboxRun(arguments: ["/bin/true", "a\u{0}b"], boxDirectory: harness.box, limits: limits),
                SandboxRun(arguments: ["/bin/true"], environment: ["A=B": "c"], boxDirectory: harness.box, limits: limits),
            ] {
                await #expect(throws: SandboxError.self) { try await harness.sandbox.run(run) }
            }
            let missing = SandboxRun(arguments: ["/no/such/program"], boxDirectory: harness.box, limits: limits)
            await #expect(throws: SandboxError.self) { try await harness.sandbox.run(missing) }
            // The slot is still fine afterwards.
            let outcome = try await harness.sandbox.run(harness.program("exit", ["0"]))
            #expect(outcome.termination == .exited(0))
        }
    }
}

func writeHostFile(_ path: String, _ text: String, mode: mode_t) throws {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard fd >= 0 else { throw SandboxError.system("open \(path)", errno: errno) }
    _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    fchmod(fd, mode)
    close(fd)
}

func readHostFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    return n >= 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
}
