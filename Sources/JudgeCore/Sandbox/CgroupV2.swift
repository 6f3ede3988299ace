#if canImport(Glibc)
import Glibc
#endif

/// A slot on the unified hierarchy: "<parent>/slot-N/helper" holds the helper, and each run is
/// cloned straight into "<parent>/slot-N/run" (`CLONE_INTO_CGROUP`, no migration), so the run
/// cgroup holds only the run and `cgroup.kill` can empty it. Counters that cannot be reset are
/// read as differences.
final class CgroupV2: SlotCgroups, @unchecked Sendable {
    let runDirectory: String?
    /// bwrap, bwrap's pid 1 and our run server (the run's init).
    let overheadProcesses = 3

    private let base: String
    private let relative: String
    private let run: String
    private let memoryMax, memoryCurrent, memoryPeak, memoryEvents, cpuStat, pidsMax: ControlFile
    private let swapMax, reclaim: ControlFile?
    private let killFile: ControlFile?
    private var peakResets = true
    private var lastMemoryMax: UInt64 = 0
    private var lastPidsMax = -1
    private var baselineBytes: UInt64 = 0
    private var cpuBefore: UInt64 = 0
    private var eventsBefore: (max: UInt64, oomKill: UInt64) = (0, 0)

    init(root: String, ownCgroups: String, parent: String, slot: Int) throws(SandboxError) {
        base = root + Cgroups.ownPath(ownCgroups, controller: nil)
        relative = "\(parent)/slot-\(slot)"
        // Controllers must be enabled on every level from the judge's cgroup down to the slot.
        var path = base
        for component in relative.split(separator: "/") {
            Self.enableControllers(path)
            path += "/\(component)"
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw .configuration("cannot create cgroup \(path): \(SandboxError.describe(errno: errno))")
            }
        }
        Self.enableControllers(path)
        let run = try Cgroups.makeDirectories(base: path, relative: "run")
        _ = try Cgroups.makeDirectories(base: path, relative: "helper")
        self.run = run
        runDirectory = run
        guard Posix.exists("\(run)/memory.max"), Posix.exists("\(run)/pids.max") else {
            throw .configuration("the memory and pids controllers are not available in \(run); the judge must run in a leaf cgroup whose parent delegates them (cgroup v2 forbids processes in inner cgroups)")
        }
        memoryMax = try ControlFile("\(run)/memory.max", writable: true)
        memoryCurrent = try ControlFile("\(run)/memory.current", writable: false)
        memoryPeak = try ControlFile("\(run)/memory.peak", writable: true)
        memoryEvents = try ControlFile("\(run)/memory.events", writable: false)
        cpuStat = try ControlFile("\(run)/cpu.stat", writable: false)
        pidsMax = try ControlFile("\(run)/pids.max", writable: true)
        swapMax = Posix.exists("\(run)/memory.swap.max") ? try ControlFile("\(run)/memory.swap.max", writable: true) : nil
        reclaim = Posix.exists("\(run)/memory.reclaim") ? try ControlFile("\(run)/memory.reclaim", writable: true) : nil
        killFile = Posix.exists("\(run)/cgroup.kill") ? try ControlFile("\(run)/cgroup.kill", writable: true) : nil
        // A judge that died may have left processes behind in a slot of the same name. Killed, they
        // leave cgroup.procs at once but stay charged to pids.current until something reaps them
        // (their parents died too, so the container's init, whenever it gets to it): a run started
        // before that could not fork. Wait for them, up to the kill loop's own bound.
        killAll(except: [])
        Cgroups.waitUntilEmpty(pidsCurrent: "\(run)/pids.current")
    }

    private static func enableControllers(_ directory: String) {
        for controller in ["+memory", "+pids", "+cpu"] {
            try? Posix.writeFile("\(directory)/cgroup.subtree_control", controller)
        }
    }

    func adopt(helper: pid_t) throws(SandboxError) {
        try Posix.writeFile("\(base)/\(relative)/helper/cgroup.procs", "\(helper)")
    }

    func prepare(_ limits: SandboxLimits) throws(SandboxError) {
        // Page cache of earlier runs stays charged to the run cgroup: reclaim it first.
        baselineBytes = memoryCurrent.integer()
        if baselineBytes > CgroupV1.reclaimThreshold, let reclaim {
            try? reclaim.write("\(baselineBytes)")
            baselineBytes = memoryCurrent.integer()
        }
        let limit = UInt64(max(limits.memoryBytes, 1 << 20)) + CgroupV1.reclaimThreshold
        if limit != lastMemoryMax {
            try memoryMax.write("\(limit)")
            // No swap for programs: the memory limit is the whole budget.
            try swapMax?.write("0")
            lastMemoryMax = limit
        }
        let pids = max(limits.processes, 1) + overheadProcesses
        if pids != lastPidsMax {
            try pidsMax.write("\(pids)")
            lastPidsMax = pids
        }
        // Writing memory.peak resets it for this descriptor (Linux 6.12+); older kernels keep
        // the cgroup's lifetime peak.
        peakResets = (try? memoryPeak.write("reset")) != nil
        cpuBefore = cpuStat.value(of: "usage_usec")
        eventsBefore = (memoryEvents.value(of: "max"), memoryEvents.value(of: "oom_kill"))
    }

    func cpuNanoseconds() -> UInt64 {
        let now = cpuStat.value(of: "usage_usec")
        return now > cpuBefore ? (now - cpuBefore) * 1000 : 0
    }

    func usage() -> CgroupUsage {
        let peak = memoryPeak.integer()
        let programPeak = peakResets ? (peak > baselineBytes ? peak - baselineBytes : 0) : peak
        return CgroupUsage(
            cpuNanoseconds: cpuNanoseconds(),
            peakMemoryBytes: programPeak,
            memoryLimitHit: memoryEvents.value(of: "max") > eventsBefore.max
                || memoryEvents.value(of: "oom_kill") > eventsBefore.oomKill
        )
    }

    func killAll(except kept: Set<pid_t>) {
        // cgroup.kill would take the slot's bwrap and run server along.
        if kept.isEmpty { try? killFile?.write("1") }
        Cgroups.killLoop(directory: run, except: kept)
    }

    func remove() {
        killAll(except: [])
        Cgroups.killLoop(directory: "\(base)/\(relative)/helper", except: [])
        rmdir(run)
        rmdir("\(base)/\(relative)/helper")
        Cgroups.removeDirectories(base: base, relative: relative)
    }
}
