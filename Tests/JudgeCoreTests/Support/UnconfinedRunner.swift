import Dispatch
import Glibc
import JudgeCore

/// A SandboxRunner for the engine's tests that contains nothing: it spawns the program directly
/// (posix_spawn, through util-linux `prlimit` for the file-size and CPU backstops), maps /box and
/// the read-only binds to their host paths by rewriting arguments, kills the process group at the
/// wall limit, measures CPU with wait4 and caps captured output. No cgroup: memory is never
/// limited (MLE is tested against the verdict mapping). The real sandbox replaces it.
struct UnconfinedRunner: SandboxRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run(_ run: SandboxRun) async throws -> SandboxOutcome {
        let process = try Spawned(run, stdin: nil, stdout: nil)
        return await process.wait()
    }

    func runPair(_ a: SandboxRun, _ b: SandboxRun) async throws -> (SandboxOutcome, SandboxOutcome) {
        let aToB = try Self.pipe()
        let bToA = try Self.pipe()
        let first: Spawned
        let second: Spawned
        do {
            defer { for fd in [aToB.0, aToB.1, bToA.0, bToA.1] { close(fd) } }
            first = try Spawned(a, stdin: bToA.0, stdout: aToB.1)
            second = try Spawned(b, stdin: aToB.0, stdout: bToA.1)
        }
        async let firstOutcome = first.wait()
        async let secondOutcome = second.wait()
        return await (firstOutcome, secondOutcome)
    }

    static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else { throw Failure(description: "pipe: \(errno)") }
        return (fds[0], fds[1])
    }
}

/// glibc's GNU extensions, which Swift's Glibc module does not declare: close-on-exec pipes (no
/// window in which a concurrent spawn inherits them) and chdir in the child.
private enum GNU {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let pipe2 = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")!, to: Pipe2.self)
    static let addchdir = unsafeBitCast(
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")!, to: AddChdir.self
    )
}

/// One spawned program and the thread that watches it.
private final class Spawned: @unchecked Sendable {
    let run: SandboxRun
    let pid: pid_t
    let started: timespec
    var stdoutPipe: Int32 = -1
    var stderrPipe: Int32 = -1
    var stdoutFile: String?

    init(_ run: SandboxRun, stdin pairedStdin: Int32?, stdout pairedStdout: Int32?) throws {
        self.run = run
        var toClose: [Int32] = []
        defer { for fd in toClose { close(fd) } }

        let stdinFD: Int32
        if let pairedStdin {
            stdinFD = pairedStdin
        } else {
            switch run.stdin {
            case .null: stdinFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            case .file(let path): stdinFD = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            case .descriptor(let fd): stdinFD = fcntl(fd, F_DUPFD_CLOEXEC, 0)
            }
            guard stdinFD >= 0 else { throw UnconfinedRunner.Failure(description: "stdin: errno \(errno)") }
            toClose.append(stdinFD)
        }
        func output(_ output: SandboxRun.Output, pipeEnd: inout Int32, file: inout String?) throws -> Int32 {
            let fd: Int32
            switch output {
            case .discard: fd = open("/dev/null", O_WRONLY | O_CLOEXEC)
            case .capture:
                let (r, w) = try UnconfinedRunner.pipe()
                _ = fcntl(r, F_SETFL, O_NONBLOCK)
                pipeEnd = r
                fd = w
            case .file(let path):
                fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                file = path
            case .descriptor(let descriptor): fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
            }
            guard fd >= 0 else { throw UnconfinedRunner.Failure(description: "output: errno \(errno)") }
            toClose.append(fd)
            return fd
        }
        var ignoredFile: String?
        let stdoutFD = try pairedStdout ?? output(run.stdout, pipeEnd: &self.stdoutPipe, file: &self.stdoutFile)
        let stderrFD = try output(run.stderr, pipeEnd: &self.stderrPipe, file: &ignoredFile)

        // Sandbox paths to host paths, longest first.
        let mappings = ([(sandbox: "/box", host: run.boxDirectory)] + run.readOnlyBinds.map { (sandbox: $0.sandbox, host: $0.host) })
            .sorted { $0.sandbox.count > $1.sandbox.count }
        func hostPath(_ argument: String) -> String {
            for mapping in mappings where argument == mapping.sandbox || argument.hasPrefix(mapping.sandbox + "/") {
                return mapping.host + argument.dropFirst(mapping.sandbox.count)
            }
            return argument
        }
        let limits = run.limits
        let cpuSeconds = (limits.cpuMilliseconds + 999) / 1000 + 1
        let arguments = [
            "/usr/bin/prlimit", "--fsize=\(limits.outputBytes)", "--cpu=\(cpuSeconds):\(cpuSeconds + 1)", "--core=0",
            "--nofile=\(max(limits.openFiles, 64))", "--",
        ] + run.arguments.map(hostPath)
        let directory = hostPath(run.workingDirectory)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinFD, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrFD, 2)
        _ = GNU.addchdir(&actions, directory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = run.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        self.started = now
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            if self.stdoutPipe >= 0 { close(self.stdoutPipe) }
            if self.stderrPipe >= 0 { close(self.stderrPipe) }
            throw UnconfinedRunner.Failure(description: "posix_spawn \(arguments[0]): \(status)")
        }
        self.pid = pid
    }

    /// Watches on its own thread: reaps with wait4 (WNOHANG), drains captured output up to the
    /// cap and kills the group at the wall limit or on too much output.
    func wait() async -> SandboxOutcome {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.watch()) }
        }
    }

    private func watch() -> SandboxOutcome {
        let limits = self.run.limits
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var wallHit = false
        var outputHit = false
        var status: Int32 = 0
        var usage = rusage()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        func drain(_ fd: Int32, into bytes: inout [UInt8]) -> Bool {
            guard fd >= 0 else { return false }
            var sawData = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n <= 0 { return sawData }
                sawData = true
                let room = max(0, limits.outputBytes - bytes.count)
                bytes.append(contentsOf: buffer[0..<min(n, room)])
                if n > room {
                    outputHit = true
                    kill(-self.pid, SIGKILL)
                    return sawData
                }
            }
        }
        while true {
            _ = drain(self.stdoutPipe, into: &stdout)
            _ = drain(self.stderrPipe, into: &stderr)
            let reaped = wait4(self.pid, &status, WNOHANG, &usage)
            if reaped == self.pid { break }
            if self.elapsedMilliseconds() > limits.wallMilliseconds {
                wallHit = true
                kill(-self.pid, SIGKILL)
            }
            usleep(1000)
        }
        let wall = self.elapsedMilliseconds()
        // Whatever the program left behind in its group goes too.
        kill(-self.pid, SIGKILL)
        while drain(self.stdoutPipe, into: &stdout) || drain(self.stderrPipe, into: &stderr) {}
        if self.stdoutPipe >= 0 { close(self.stdoutPipe) }
        if self.stderrPipe >= 0 { close(self.stderrPipe) }

        let cpu = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
        let termination: SandboxOutcome.Termination
        if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signaled(status & 0x7f)
        }
        if termination == .signaled(SIGXFSZ) { outputHit = true }
        if let file = self.stdoutFile {
            var info = stat()
            if stat(file, &info) == 0, Int(info.st_size) >= limits.outputBytes { outputHit = true }
        }
        return SandboxOutcome(
            termination: termination, cpuMilliseconds: cpu, wallMilliseconds: wall,
            peakMemoryBytes: Int(usage.ru_maxrss) * 1024,
            cpuLimitHit: cpu > limits.cpuMilliseconds || termination == .signaled(SIGXCPU),
            wallLimitHit: wallHit, outputLimitHit: outputHit, stdout: stdout, stderr: stderr
        )
    }

    private func elapsedMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return (now.tv_sec - self.started.tv_sec) * 1000 + (now.tv_nsec - self.started.tv_nsec) / 1_000_000
    }
}
