#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import Synchronization
import Testing

/// A real sandbox (bwrap, cgroups, slot uids) per test, and tiny C programs compiled with the
/// host's gcc. Needs root, like CI.
struct SandboxHarness {
    let sandbox: BubblewrapSandbox
    let configuration: SandboxConfiguration
    let box: String

    /// Each test gets its own cgroup parent and uid range, apart from other test processes.
    static func start(slots: Int = 1) throws -> SandboxHarness {
        let serial = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let pid = Int(getpid())
        let configuration = SandboxConfiguration(
            slots: slots, uidBase: 200_000 + (pid % 10_000) * 64 + serial * 4, gidBase: 200_000 + (pid % 10_000) * 64 + serial * 4,
            cgroupParent: "algosports-judge/test-\(pid)-\(serial)", workRoot: "/tmp/algosports-sandbox-tests-\(pid)-\(serial)"
        )
        let sandbox = try BubblewrapSandbox.start(configuration)
        return SandboxHarness(sandbox: sandbox, configuration: configuration, box: try sandbox.makeBox())
    }

    func stop() async throws {
        try BoxFiles.remove(box: box)
        await sandbox.shutdown()
        // Its own work root: a shared one could vanish under a test that is just starting.
        rmdir(configuration.workRoot)
    }

    /// A run of a compiled test program, bound read-only at /judge/<name>.
    func program(
        _ name: String, _ arguments: [String] = [], limits: SandboxLimits = SandboxHarness.limits(),
        environment: [String: String] = [:], stdin: SandboxRun.Input = .null
    ) throws -> SandboxRun {
        let binary = try Programs.compiled(name)
        return SandboxRun(
            arguments: ["/judge/\(name)"] + arguments, environment: environment, boxDirectory: box,
            readOnlyBinds: [(host: binary, sandbox: "/judge/\(name)")], stdin: stdin, limits: limits
        )
    }

    static func limits(
        cpu: Int = 2000, wall: Int = 5000, memory: Int = 64 << 20, processes: Int = 8, output: Int = 1 << 20,
        tmp: Int = 16 << 20
    ) -> SandboxLimits {
        SandboxLimits(
            cpuMilliseconds: cpu, wallMilliseconds: wall, memoryBytes: memory, processes: processes,
            outputBytes: output, tmpBytes: tmp
        )
    }

    /// Host processes running as any uid of this sandbox's slots.
    func slotProcesses() -> [pid_t] {
        let uids = configuration.uidBase..<(configuration.uidBase + configuration.slots)
        var found: [pid_t] = []
        guard let proc = opendir("/proc") else { return [] }
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard let pid = pid_t(name) else { continue }
            var info = stat()
            if stat("/proc/\(name)", &info) == 0, uids.contains(Int(info.st_uid)) { found.append(pid) }
        }
        return found
    }

    private static let counter = Mutex(0)
}

extension SandboxOutcome {
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs a host command (gcc, a check) and waits; tests only.
func runOnHost(_ arguments: [String]) -> Int32 {
    var pid: pid_t = 0
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
    defer { free(environment[0]) }
    guard posix_spawn(&pid, arguments[0], nil, nil, &argv, &environment) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
}

/// The hostile (and one polite) test programs, compiled once per test process.
enum Programs {
    private static let cache = Mutex<[String: String]>([:])

    static func compiled(_ name: String) throws -> String {
        if let path = cache.withLock({ $0[name] }) { return path }
        guard let source = sources[name] else { throw SandboxError.invalidRun("no test program \(name)") }
        let directory = "/tmp/algosports-sandbox-programs-\(getpid())"
        mkdir(directory, 0o755)
        let sourcePath = "\(directory)/\(name).c"
        let binary = "\(directory)/\(name)"
        let fd = open(sourcePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(source.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let status = runOnHost(["/usr/bin/gcc", "-O1", "-pthread", "-o", binary, sourcePath])
        guard status == 0 else { throw SandboxError.setupFailed("gcc \(name) failed with status \(status)") }
        chmod(binary, 0o755)
        cache.withLock { $0[name] = binary }
        return binary
    }
}

/// Starts a harness, runs `body`, and always stops it (cgroups removed, box deleted).
func withSandbox(slots: Int = 1, _ body: (SandboxHarness) async throws -> Void) async throws {
    let harness = try SandboxHarness.start(slots: slots)
    do {
        try await body(harness)
    } catch {
        try? await harness.stop()
        throw error
    }
    try await harness.stop()
}
