#if canImport(Glibc)
import Glibc
#endif

/// What the cgroups measured for one run.
struct CgroupUsage: Sendable, Hashable {
    var cpuNanoseconds: UInt64
    var peakMemoryBytes: UInt64
    var memoryLimitHit: Bool
}

/// One slot's cgroups: created at start-up, limits rewritten and counters reset per run, every
/// process in them killed after each run. Used by one run at a time.
protocol SlotCgroups: AnyObject, Sendable {
    /// v2: the directory the helper clones each run into (`CLONE_INTO_CGROUP`). v1: nil, the helper
    /// itself joins the slot's cgroups so its children are born there.
    var runDirectory: String? { get }
    /// Processes of the run that are not the program: counted by the pids limit.
    var overheadProcesses: Int { get }
    func adopt(helper: pid_t) throws(SandboxError)
    func prepare(_ limits: SandboxLimits) throws(SandboxError)
    func cpuNanoseconds() -> UInt64
    func usage() -> CgroupUsage
    /// SIGKILLs everything in the run's cgroup but the slot's own processes (helper, bwrap, run
    /// server), until nothing else is left.
    func killAll(except kept: Set<pid_t>)
    func remove()
}

enum Cgroups {
    /// Slot cgroups of the hierarchy that is real on this machine: v1 when its memory and pids
    /// controllers are mounted, else the unified v2 hierarchy.
    static func create(_ configuration: SandboxConfiguration, slot: Int) throws(SandboxError) -> any SlotCgroups {
        let root = configuration.cgroupRoot
        let own = Posix.readSmallFile("/proc/self/cgroup") ?? ""
        if Posix.exists("\(root)/memory/cgroup.procs") && Posix.exists("\(root)/pids/cgroup.procs") {
            return try CgroupV1(root: root, ownCgroups: own, parent: configuration.cgroupParent, slot: slot)
        }
        if Posix.exists("\(root)/cgroup.controllers") {
            return try CgroupV2(root: root, ownCgroups: own, parent: configuration.cgroupParent, slot: slot)
        }
        throw .configuration("no cgroup hierarchy with memory and pids controllers under \(root)")
    }

    /// Takes the cgroup parent for this process (an exclusive flock on its pids directory, or the
    /// unified one on v2), held until the descriptor is closed or the process dies. A second judge
    /// on the same parent would kill the first one's helpers as leftovers of a crash.
    static func claimParent(_ configuration: SandboxConfiguration) throws(SandboxError) -> Int32 {
        let root = configuration.cgroupRoot
        let own = Posix.readSmallFile("/proc/self/cgroup") ?? ""
        let base = Posix.exists("\(root)/pids/cgroup.procs") ? "\(root)/pids\(ownPath(own, controller: "pids"))" : root + ownPath(own, controller: nil)
        let parent = try makeDirectories(base: base, relative: configuration.cgroupParent)
        let fd = try Posix.open(parent, O_RDONLY | O_DIRECTORY)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            Posix.close(fd)
            if error == EWOULDBLOCK {
                throw .configuration("another judge on this machine uses the cgroup parent \(configuration.cgroupParent): give each instance its own JUDGE_SANDBOX_CGROUP_PARENT and JUDGE_SANDBOX_UID_BASE")
            }
            throw .system("flock \(parent)", errno: error)
        }
        return fd
    }

    /// The judge's own cgroup in a v1 controller's hierarchy ("" for v2's "0::" line).
    static func ownPath(_ procSelfCgroup: String, controller: String?) -> String {
        for line in procSelfCgroup.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            if let controller, controllers.contains(Substring(controller)) { return normalized(fields[2]) }
            if controller == nil, fields[0] == "0", fields[1].isEmpty { return normalized(fields[2]) }
        }
        return ""
    }

    private static func normalized(_ path: Substring) -> String {
        path == "/" ? "" : String(path)
    }

    /// mkdir -p below `base` (which must exist); existing directories are fine.
    static func makeDirectories(base: String, relative: String) throws(SandboxError) -> String {
        var path = base
        for component in relative.split(separator: "/") {
            path += "/\(component)"
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw .configuration("cannot create cgroup \(path): \(SandboxError.describe(errno: errno)); the judge needs root (or CAP_SYS_ADMIN and write access to the cgroup tree)")
            }
        }
        return path
    }

    /// rmdir `relative` below `base` and then its now-empty ancestors, stopping at `base`.
    static func removeDirectories(base: String, relative: String) {
        var components = relative.split(separator: "/")
        while !components.isEmpty {
            if rmdir(base + "/" + components.joined(separator: "/")) != 0 && errno != ENOENT { return }
            components.removeLast()
        }
    }

    static func processes(in directory: String) -> [pid_t] {
        (Posix.readSmallFile("\(directory)/cgroup.procs") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Waits (at most 5 s) until no process, zombies included, is charged to a pids cgroup.
    static func waitUntilEmpty(pidsCurrent path: String) {
        let deadline = Posix.monotonicNanoseconds() + 5_000_000_000
        while let text = Posix.readSmallFile(path), let count = Int(text.split(separator: "\n").first ?? ""), count > 0,
              Posix.monotonicNanoseconds() < deadline {
            usleep(2000)
        }
    }

    /// The kill loop of both versions: new processes may appear until the pid namespace's init is
    /// gone, and killed ones linger until reaped, so repeat until the cgroup is empty.
    static func killLoop(directory: String, except kept: Set<pid_t>) {
        let deadline = Posix.monotonicNanoseconds() + 5_000_000_000
        var pass = 0
        while true {
            let victims = processes(in: directory).filter { !kept.contains($0) }
            if victims.isEmpty || Posix.monotonicNanoseconds() > deadline { return }
            for pid in victims { kill(pid, SIGKILL) }
            pass += 1
            usleep(pass < 20 ? 100 : 2000)
        }
    }
}
