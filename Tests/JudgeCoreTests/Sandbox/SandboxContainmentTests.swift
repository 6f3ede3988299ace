#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import Testing

/// Hostile programs: each must end with the right outcome and leave the host as it was.
@Suite(.serialized) struct SandboxContainmentTests {
    @Test func forkBombHitsThePidsLimitAndLeavesNothing() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("forkbomb", limits: SandboxHarness.limits(cpu: 1000, wall: 1500, processes: 16))
            )
            #expect(outcome.cpuLimitHit || outcome.wallLimitHit)
            #expect(outcome.termination == .signaled(SIGKILL))
            #expect(harness.slotProcesses().isEmpty)
            // The host can still start processes.
            #expect(runOnHost(["/bin/true"]) == 0)
            // And the slot is usable again.
            let next = try await harness.sandbox.run(harness.program("exit", ["0"]))
            #expect(next.termination == .exited(0))
        }
    }

    @Test func cpuTimeCountsEveryThread() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("threads", limits: SandboxHarness.limits(cpu: 300, wall: 10_000))
            )
            #expect(outcome.cpuLimitHit)
            #expect(!outcome.wallLimitHit)
            #expect(outcome.cpuMilliseconds >= 300)
            #expect(outcome.termination == .signaled(SIGKILL))
        }
    }

    @Test func thereIsNoNetwork() async throws {
        try await withSandbox { harness in
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(listener) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }
            #expect(listen(listener, 8) == 0)
            let port = Int(UInt16(bigEndian: address.sin_port))

            let outcome = try await harness.sandbox.run(harness.program("connect", ["\(port)"]))
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText.hasPrefix("connect failed"))
            // Nothing reached the listener.
            _ = fcntl(listener, F_SETFL, O_NONBLOCK)
            #expect(accept(listener, nil, nil) < 0)
        }
    }

    @Test func hostSecretsAreNotReadable() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("readfile", ["/etc/shadow", "/etc/passwd", "/root/.bashrc"]))
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText == "/etc/shadow: No such file or directory\n/etc/passwd: No such file or directory\n/root/.bashrc: No such file or directory\n")
        }
    }

    @Test func theJudgesEnvironmentIsInvisible() async throws {
        let secret = "judge-secret-\(getpid())"
        setenv("ALGOSPORTS_TEST_SECRET", secret, 1)
        defer { unsetenv("ALGOSPORTS_TEST_SECRET") }
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("environ", environment: ["ANSWER": "42"]))
            #expect(outcome.termination == .exited(0))
            #expect(!outcome.stdoutText.contains(secret))
            let lines = outcome.stdoutText.split(separator: "\n")
            // pid 1 is bwrap, started with an empty environment (and owned by root).
            #expect(lines.contains { $0 == "/proc/1/environ: unreadable" || $0 == "/proc/1/environ: " })
            #expect(lines.contains("/proc/self/environ: ANSWER=42|PATH=/usr/local/bin:/usr/bin:/bin|"))
        }
    }

    @Test func writingOutsideBoxAndTmpFails() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("writefile", ["/x", "/usr/x", "/etc/x", "/judge/x", "/dev/x", "/box/ok", "/tmp/ok"])
            )
            #expect(outcome.termination == .exited(0))
            let lines = outcome.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.count == 7)
            for line in lines.prefix(5) {
                #expect(!line.hasSuffix("written"), "\(line)")
            }
            #expect(lines.suffix(2) == ["/box/ok: written", "/tmp/ok: written"])
            #expect(access("/usr/x", F_OK) != 0 && access("/x", F_OK) != 0)
            #expect(try BoxFiles.read(box: harness.box, name: "ok", limit: 10) == Array("x".utf8))
        }
    }

    @Test func aSymlinkPlantedInTheBoxIsNeverFollowed() async throws {
        try await withSandbox { harness in
            let secretPath = "/tmp/algosports-sandbox-secret-\(getpid())"
            try writeHostFile(secretPath, "root-only secret", mode: 0o600)
            defer { unlink(secretPath) }
            let outcome = try await harness.sandbox.run(harness.program("symlink", [secretPath, "/box/output.txt"]))
            #expect(outcome.termination == .exited(0))
            #expect(throws: SandboxError.system("openat output.txt", errno: ELOOP)) {
                try BoxFiles.read(box: harness.box, name: "output.txt", limit: 1000)
            }
            // Handing the box to the next run and removing it leave the target alone.
            _ = try await harness.sandbox.run(harness.program("exit", ["0"]))
            var info = stat()
            #expect(stat(secretPath, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o777 == 0o600)
            try BoxFiles.remove(box: harness.box)
            #expect(readHostFile(secretPath) == "root-only secret")
            mkdir(harness.box, 0o700)
        }
    }

    @Test func fillingTmpStopsAtItsSize() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("filltmp", limits: SandboxHarness.limits(memory: 128 << 20, output: 64 << 20, tmp: 8 << 20))
            )
            #expect(outcome.termination == .exited(0))
            #expect(outcome.stdoutText.hasSuffix("No space left on device\n"))
            let words = outcome.stdoutText.split(separator: " ")
            let written = words.count > 2 ? Int(words[2]) ?? -1 : -1
            #expect(written > 0 && written <= 8 << 20)
        }
    }

    @Test func sleepingForeverEndsAtTheWallLimit() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("sleep", limits: SandboxHarness.limits(wall: 300)))
            #expect(outcome.wallLimitHit)
            #expect(!outcome.cpuLimitHit)
            #expect(outcome.termination == .signaled(SIGKILL))
            #expect(outcome.wallMilliseconds >= 300 && outcome.wallMilliseconds < 5000)
        }
    }

    @Test func aDaemonDiesWithItsRun() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("daemon", limits: SandboxHarness.limits(wall: 5000)))
            #expect(outcome.termination == .exited(0))
            #expect(!outcome.wallLimitHit)
            #expect(harness.slotProcesses().isEmpty)
        }
    }

    /// A slot's namespaces live on across runs: the run's /tmp, /dev/shm, binds and IPC objects must not.
    @Test func nothingOfARunReachesTheNext() async throws {
        try await withSandbox { harness in
            let secret = harness.configuration.workRoot + "/secret"
            let file = fopen(secret, "w")
            fputs("bound secret\n", file)
            fclose(file)
            defer { unlink(secret) }
            let first = try await harness.sandbox.run(SandboxRun(
                arguments: ["/bin/sh", "-c", "echo a > /tmp/a && echo b > /dev/shm/b && ipcmk -M 4096 > /dev/null && cat /judge/secret"],
                boxDirectory: harness.box, readOnlyBinds: [(host: secret, sandbox: "/judge/secret")], limits: SandboxHarness.limits()
            ))
            #expect(first.termination == .exited(0))
            #expect(first.stdoutText == "bound secret\n")
            let second = try await harness.sandbox.run(SandboxRun(
                arguments: ["/bin/sh", "-c", "echo \"tmp[$(ls -A /tmp)] shm[$(ls -A /dev/shm)] ipc[$(ipcs -m | grep -c 0x)] bind[$(cat /judge/secret 2>&1)]\""],
                boxDirectory: harness.box, limits: SandboxHarness.limits()
            ))
            #expect(second.termination == .exited(0))
            #expect(second.stdoutText == "tmp[] shm[] ipc[0] bind[]\n")
        }
    }

    @Test(arguments: ["ptrace", "mount", "unshare"])
    func dangerousSystemCallsAreSecurityViolations(_ call: String) async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("syscall", [call]))
            #expect(outcome.securityViolation)
            #expect(outcome.termination == .signaled(SIGSYS))
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test func probedSystemCallsFailHarmlessly() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(harness.program("syscall", ["set_mempolicy"]))
            #expect(outcome.termination == .exited(0))
            #expect(!outcome.securityViolation)
            #expect(outcome.stdoutText == "set_mempolicy returned -1 (Operation not permitted)\n")
        }
    }

    @Test func aBigAllocationHitsTheMemoryLimit() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("allocate", ["256"], limits: SandboxHarness.limits(memory: 64 << 20))
            )
            #expect(outcome.memoryLimitHit)
            #expect(outcome.termination == .signaled(SIGKILL))
            #expect(outcome.peakMemoryBytes >= 60 << 20)
            // Within the limit, the same program is fine.
            let small = try await harness.sandbox.run(
                harness.program("allocate", ["16"], limits: SandboxHarness.limits(memory: 64 << 20))
            )
            #expect(small.termination == .exited(0))
            #expect(!small.memoryLimitHit)
            #expect(small.peakMemoryBytes >= 16 << 20 && small.peakMemoryBytes < 64 << 20)
        }
    }

    @Test func hugeOutputHitsTheOutputLimit() async throws {
        try await withSandbox { harness in
            let outcome = try await harness.sandbox.run(
                harness.program("flood", limits: SandboxHarness.limits(output: 256 << 10))
            )
            #expect(outcome.outputLimitHit)
            #expect(outcome.stdout.count == 256 << 10)
            #expect(!outcome.wallLimitHit)
            #expect(outcome.termination == .signaled(SIGKILL) || outcome.termination == .signaled(SIGPIPE))
        }
    }
}
