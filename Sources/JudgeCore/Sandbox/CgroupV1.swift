#if canImport(Glibc)
import Glibc
#endif

/// A slot on cgroup v1: a "<parent>/slot-N" group in the memory, pids and cpuacct hierarchies.
/// The slot's helper sits in them for the slot's lifetime (migrating a process per run costs
/// 4–13 ms here), so its memory and its one pid are part of every run's accounting.
final class CgroupV1: SlotCgroups, @unchecked Sendable {
    private static let controllers = ["memory", "pids", "cpuacct"]

    static let reclaimThreshold: UInt64 = 4 << 20

    let runDirectory: String? = nil
    /// The helper, bwrap, bwrap's pid 1 and our run server (the run's init).
    let overheadProcesses = 4

    private let bases: [String]
    private let relative: String
    private let directories: [String]
    private let memoryLimit, memoryUsage, memoryPeak, memoryFailures, oomControl, forceEmpty: ControlFile
    /// memory+swap, where the kernel accounts swap (memory.memsw.*).
    private let swapLimit, swapPeak, swapFailures: ControlFile?
    private let pidsMax, cpuUsage: ControlFile
    private var lastMemoryLimit: UInt64 = 0
    private var lastPidsMax = -1
    private var baselineBytes: UInt64 = 0
    private var oomKillsBefore: UInt64 = 0

    init(root: String, ownCgroups: String, parent: String, slot: Int) throws(SandboxError) {
        relative = "\(parent)/slot-\(slot)"
        var bases: [String] = []
        var directories: [String] = []
        for controller in Self.controllers {
            let base = "\(root)/\(controller)\(Cgroups.ownPath(ownCgroups, controller: controller))"
            bases.append(base)
            directories.append(try Cgroups.makeDirectories(base: base, relative: relative))
        }
        self.bases = bases
        self.directories = directories
        let memory = directories[0]
        memoryLimit = try ControlFile("\(memory)/memory.limit_in_bytes", writable: true)
        memoryUsage = try ControlFile("\(memory)/memory.usage_in_bytes", writable: false)
        memoryPeak = try ControlFile("\(memory)/memory.max_usage_in_bytes", writable: true)
        memoryFailures = try ControlFile("\(memory)/memory.failcnt", writable: true)
        oomControl = try ControlFile("\(memory)/memory.oom_control", writable: false)
        forceEmpty = try ControlFile("\(memory)/memory.force_empty", writable: true)
        if Posix.exists("\(memory)/memory.memsw.limit_in_bytes") {
            swapLimit = try ControlFile("\(memory)/memory.memsw.limit_in_bytes", writable: true)
            swapPeak = try ControlFile("\(memory)/memory.memsw.max_usage_in_bytes", writable: true)
            swapFailures = try ControlFile("\(memory)/memory.memsw.failcnt", writable: true)
        } else {
            (swapLimit, swapPeak, swapFailures) = (nil, nil, nil)
        }
        pidsMax = try ControlFile("\(directories[1])/pids.max", writable: true)
        cpuUsage = try ControlFile("\(directories[2])/cpuacct.usage", writable: true)
        // A judge that crashed may have left processes behind in a slot of the same name.
        for directory in directories { Cgroups.killLoop(directory: directory, except: []) }
        // Killed processes stay charged to pids.current until reaped (see CgroupV2.init).
        Cgroups.waitUntilEmpty(pidsCurrent: "\(directories[1])/pids.current")
        // ... and the limits of its last run, which a new helper and bwrap would not fit in.
        try pidsMax.write("max")
        try swapLimit?.write("-1")
        try memoryLimit.write("-1")
    }

    func adopt(helper: pid_t) throws(SandboxError) {
        for directory in directories {
            try Posix.writeFile("\(directory)/cgroup.procs", "\(helper)")
        }
    }

    func prepare(_ limits: SandboxLimits) throws(SandboxError) {
        // Page cache of earlier runs stays charged to the slot: reclaim it when there is enough
        // to matter, so it neither widens this run's limit nor shows in its peak. What is left
        // (the helper) is charged already; the program gets `memoryBytes` on top of it.
        baselineBytes = memoryUsage.integer()
        if baselineBytes > Self.reclaimThreshold {
            try? forceEmpty.write("0")
            baselineBytes = memoryUsage.integer()
        }
        // A constant allowance for what is already charged (at most the reclaim threshold) keeps
        // the limit unchanged between runs with the same memoryBytes: no limit writes per run.
        let limit = UInt64(max(limits.memoryBytes, 1 << 20)) + Self.reclaimThreshold
        if limit != lastMemoryLimit {
            // memsw must stay >= the memory limit: open it up, set memory, then close it down.
            try swapLimit?.write("-1")
            try memoryLimit.write("\(limit)")
            try swapLimit?.write("\(limit)")
            lastMemoryLimit = limit
        }
        try memoryPeak.write("0")
        try memoryFailures.write("0")
        try swapPeak?.write("0")
        try swapFailures?.write("0")
        oomKillsBefore = oomControl.value(of: "oom_kill")
        let pids = max(limits.processes, 1) + overheadProcesses
        if pids != lastPidsMax {
            try pidsMax.write("\(pids)")
            lastPidsMax = pids
        }
        try cpuUsage.write("0")
    }

    func cpuNanoseconds() -> UInt64 { cpuUsage.integer() }

    func usage() -> CgroupUsage {
        let peak = max(memoryPeak.integer(), swapPeak?.integer() ?? 0)
        let failures = memoryFailures.integer() + (swapFailures?.integer() ?? 0)
        return CgroupUsage(
            cpuNanoseconds: cpuUsage.integer(),
            peakMemoryBytes: peak > baselineBytes ? peak - baselineBytes : 0,
            memoryLimitHit: failures > 0 || oomControl.value(of: "oom_kill") > oomKillsBefore
        )
    }

    func killAll(except kept: Set<pid_t>) {
        // Every process of a run is in the pids cgroup.
        Cgroups.killLoop(directory: directories[1], except: kept)
    }

    func remove() {
        for directory in directories { Cgroups.killLoop(directory: directory, except: []) }
        for base in bases { Cgroups.removeDirectories(base: base, relative: relative) }
    }
}
