#if canImport(Glibc)
import Glibc
#endif

/// Watches one run from a pool thread until the run's init exits: reads captured output with its cap,
/// samples the cgroup's CPU time, enforces the wall clock, and kills the whole slot (every process
/// in its cgroup, not just the top one) when a limit is reached.
struct RunSupervisor {
    struct Result {
        var reply: SlotHelper.Reply
        var wallNanoseconds: UInt64
        var cpuLimitHit = false
        var wallLimitHit = false
        var outputLimitHit = false
        var killed: Bool { cpuLimitHit || wallLimitHit || outputLimitHit || cancelled }
        var cancelled = false
    }

    /// How often the CPU time is sampled; RLIMIT_CPU backs up a single process in between.
    static let cpuSampleNanoseconds: UInt64 = 10_000_000

    let slot: SandboxSlot
    let limits: SandboxLimits
    let collectors: [OutputCollector]
    let startNanoseconds: UInt64
    let isCancelled: @Sendable () -> Bool

    func supervise() throws(SandboxError) -> Result {
        let wallDeadline = startNanoseconds + UInt64(max(limits.wallMilliseconds, 1)) * 1_000_000
        let cpuLimit = UInt64(max(limits.cpuMilliseconds, 1)) * 1_000_000
        var cpuHit = false, wallHit = false, outputHit = false, cancelled = false
        var killed = false
        func killRun() {
            guard !killed else { return }
            killed = true
            slot.cgroups.killAll(except: slot.helper.kept)
        }

        var reply: SlotHelper.Reply?
        while reply == nil {
            let now = Posix.monotonicNanoseconds()
            if !killed {
                if now >= wallDeadline {
                    wallHit = true
                    killRun()
                } else if slot.cgroups.cpuNanoseconds() > cpuLimit {
                    cpuHit = true
                    killRun()
                } else if isCancelled() {
                    cancelled = true
                    killRun()
                }
            }
            var fds = [pollfd(fd: slot.helper.control, events: Int16(POLLIN), revents: 0)]
            let open = collectors.filter { !$0.finished }
            fds += open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let untilWall = wallDeadline > now ? wallDeadline - now : 0
            let timeout = killed ? 100 : Int32((min(untilWall, Self.cpuSampleNanoseconds) + 999_999) / 1_000_000)
            let ready = poll(&fds, nfds_t(fds.count), max(timeout, 1))
            if ready < 0 && errno != EINTR { throw .system("poll", errno: errno) }
            guard ready > 0 else { continue }
            for (index, collector) in open.enumerated() where fds[index + 1].revents != 0 {
                if collector.drain() {
                    outputHit = true
                    killRun()
                }
            }
            if fds[0].revents != 0 {
                reply = try slot.helper.receiveReply()
            }
        }
        let end = Posix.monotonicNanoseconds()
        // The run's init is gone, and with its pid namespace every process of the run; anything
        // that escaped it is still in the cgroup.
        slot.cgroups.killAll(except: slot.helper.kept)
        for collector in collectors where !collector.finished {
            if collector.drain() { outputHit = true }
        }
        return Result(
            reply: reply!, wallNanoseconds: end - startNanoseconds, cpuLimitHit: cpuHit, wallLimitHit: wallHit,
            outputLimitHit: outputHit, cancelled: cancelled
        )
    }
}
