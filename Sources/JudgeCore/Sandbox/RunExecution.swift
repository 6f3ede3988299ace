#if canImport(Glibc)
import Glibc
#endif

/// One run on a pool thread: hand the box to the slot, reset the cgroups, send the run to the
/// helper, supervise it, and turn what the cgroups and our own reaper saw into an outcome.
struct RunExecution {
    static let statusMagic: UInt32 = 0x5342_5354
    /// Stage numbers of helper.h's `enum init_stage`.
    static let stages = ["exec", "credentials or working directory", "rlimits", "seccomp", "fork", "mounts"]

    let slot: SandboxSlot
    let run: SandboxRun
    let arguments: [String]
    let io: RunDescriptors
    let isCancelled: @Sendable () -> Bool
    /// Called once the slot's counters are reset for this run (a group's live CPU reading).
    var onStart: () -> Void = {}

    func perform() throws(SandboxError) -> SandboxOutcome {
        let stdout = io.stdoutCapture.map { OutputCollector(fd: $0, cap: run.limits.outputBytes) }
        let stderr = io.stderrCapture.map { OutputCollector(fd: $0, cap: run.limits.outputBytes) }
        defer { for fd in io.outputFiles { Posix.close(fd) } }
        let status: (read: Int32, write: Int32)
        do {
            try handOverBox()
            try slot.cgroups.prepare(run.limits)
            onStart()
            status = try Posix.pipe()
        } catch {
            io.closeProgramEnds()
            throw error
        }
        defer { Posix.close(status.read) }
        let start = Posix.monotonicNanoseconds()
        do {
            defer {
                io.closeProgramEnds()
                Posix.close(status.write)
            }
            try slot.helper.send(arguments: arguments, descriptors: [io.stdin, io.stdout, io.stderr, status.write])
        }

        let supervised: RunSupervisor.Result
        do {
            supervised = try RunSupervisor(
                slot: slot, limits: run.limits, collectors: [stdout, stderr].compactMap { $0 },
                startNanoseconds: start, isCancelled: isCancelled
            ).supervise()
        } catch {
            // The helper is gone or confused: give the slot a fresh one before the next run.
            try? slot.restartHelper()
            throw error
        }
        if supervised.reply.error != 0 {
            throw .setupFailed("cannot start the run in the sandbox: \(SandboxError.describe(errno: supervised.reply.error))")
        }
        let usage = slot.cgroups.usage()
        let termination: SandboxOutcome.Termination
        var peakMemoryBytes = Int(usage.peakMemoryBytes)
        if let program = try readStatus(status.read) {
            termination = program.termination
            // The cgroup's peak less what the slot held before can miss a small program when
            // page cache is reclaimed under it; the reaper's peak RSS is a floor.
            peakMemoryBytes = max(peakMemoryBytes, program.maxResidentKilobytes * 1024)
        } else if supervised.killed || usage.memoryLimitHit {
            // Killed with the whole slot before our init could report (or the OOM killer chose it).
            termination = .signaled(SIGKILL)
        } else {
            let message = String(decoding: (stderr?.bytes ?? []).prefix(500), as: UTF8.self)
            throw .setupFailed("the run's init ended with wait status \(supervised.reply.waitStatus) before the program ran: \(message)")
        }

        let cpuLimit = UInt64(max(run.limits.cpuMilliseconds, 1)) * 1_000_000
        var outputLimitHit = supervised.outputLimitHit || termination == .signaled(SIGXFSZ)
        for fd in io.outputFiles {
            var info = stat()
            if fstat(fd, &info) == 0 && Int(info.st_size) >= run.limits.outputBytes { outputLimitHit = true }
        }
        return SandboxOutcome(
            termination: termination,
            cpuMilliseconds: Int(usage.cpuNanoseconds / 1_000_000),
            wallMilliseconds: Int(supervised.wallNanoseconds / 1_000_000),
            peakMemoryBytes: peakMemoryBytes,
            // A limit hit that the program survived (page cache reclaimed) is not an MLE.
            memoryLimitHit: usage.memoryLimitHit && termination != .exited(0),
            cpuLimitHit: supervised.cpuLimitHit || usage.cpuNanoseconds > cpuLimit || termination == .signaled(SIGXCPU),
            wallLimitHit: supervised.wallLimitHit,
            outputLimitHit: outputLimitHit,
            securityViolation: termination == .signaled(SIGSYS),
            stdout: stdout?.bytes ?? [],
            stderr: stderr?.bytes ?? []
        )
    }

    /// The box becomes the slot uid's (the directory itself, never recursively and never through
    /// a link: a chown -R as root follows what the program planted).
    private func handOverBox() throws(SandboxError) {
        let box = try Posix.open(run.boxDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        defer { Posix.close(box) }
        guard fchown(box, uid_t(slot.uid), gid_t(slot.gid)) == 0, fchmod(box, 0o700) == 0 else {
            throw .system("chown of box \(run.boxDirectory)", errno: errno)
        }
    }

    /// What our init wrote to fd 3 (helper.h's `struct init_status`): the program's own wait
    /// status and peak RSS, or why it never started.
    private func readStatus(_ fd: Int32) throws(SandboxError) -> (termination: SandboxOutcome.Termination, maxResidentKilobytes: Int)? {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var words: [Int32] = [0, 0, 0, 0, 0]
        let n = words.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n == 20, UInt32(bitPattern: words[0]) == Self.statusMagic else { return nil }
        let (waitStatus, error, stage) = (words[1], words[2], Int(words[3]))
        if error != 0 {
            let step = Self.stages.indices.contains(stage) ? Self.stages[stage] : "stage \(stage)"
            throw .setupFailed("\(step) of \(run.arguments[0]) failed: \(SandboxError.describe(errno: error))")
        }
        let rss = Int(max(words[4], 0))
        if waitStatus & 0x7f == 0 { return (.exited((waitStatus >> 8) & 0xff), rss) }
        return (.signaled(waitStatus & 0x7f), rss)
    }
}
