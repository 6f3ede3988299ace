/// How the judge's sandbox slots are laid out on this machine. `BubblewrapSandbox.start` creates the
/// slots' cgroups and helpers from it.
public struct SandboxConfiguration: Sendable, Hashable {
    /// Concurrent runs; each slot has its own uid/gid and cgroups.
    public var slots: Int
    /// Slot i runs programs as uid `uidBase + i` and gid `gidBase + i`, so runs in different slots
    /// cannot signal or ptrace each other. No supplementary groups.
    public var uidBase: Int
    public var gidBase: Int
    /// Created under the judge's own cgroup in every hierarchy, e.g. "algosports-judge/<instance>";
    /// slot i lives in "<parent>/slot-i".
    public var cgroupParent: String
    /// Where the cgroup hierarchies are mounted (v1: one directory per controller; v2: unified).
    public var cgroupRoot: String
    /// Boxes (`makeBox()`) are created here; it must be on a local filesystem root owns.
    public var workRoot: String
    public var bubblewrapPath: String
    /// The SandboxHelper executable; nil finds it next to the running executable.
    public var helperPath: String?
    /// Host paths bound read-only at the same place inside every sandbox, when they exist: the
    /// toolchains and the few /etc entries they read. Never the whole /etc (no /etc/shadow).
    public var readOnlyPaths: [String]

    /// Each bind costs bwrap a mount and a reread of its mountinfo (~0.3 ms): only what the
    /// toolchains need (java's conf links into /etc/java-17-openjdk; programs run in UTC).
    public static let defaultReadOnlyPaths = ["/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/java-17-openjdk"]

    public init(
        slots: Int = 2, uidBase: Int = 60000, gidBase: Int = 60000,
        cgroupParent: String = "algosports-judge/default", cgroupRoot: String = "/sys/fs/cgroup",
        workRoot: String = "/var/lib/algosports/judge", bubblewrapPath: String = "/usr/bin/bwrap",
        helperPath: String? = nil, readOnlyPaths: [String] = SandboxConfiguration.defaultReadOnlyPaths
    ) {
        self.slots = slots
        self.uidBase = uidBase
        self.gidBase = gidBase
        self.cgroupParent = cgroupParent
        self.cgroupRoot = cgroupRoot
        self.workRoot = workRoot
        self.bubblewrapPath = bubblewrapPath
        self.helperPath = helperPath
        self.readOnlyPaths = readOnlyPaths
    }

    /// `JUDGE_SANDBOX_SLOTS`, `JUDGE_SANDBOX_UID_BASE`, `JUDGE_SANDBOX_GID_BASE`,
    /// `JUDGE_SANDBOX_CGROUP_PARENT`, `JUDGE_SANDBOX_WORK_ROOT`, `JUDGE_SANDBOX_BWRAP`,
    /// `JUDGE_SANDBOX_HELPER`; unset ones keep their defaults.
    public init(environment: [String: String]) throws(SandboxError) {
        self.init()
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(SandboxError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw .configuration("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
            }
            return value
        }
        if let value = try integer("JUDGE_SANDBOX_SLOTS", 1...256) { slots = value }
        if let value = try integer("JUDGE_SANDBOX_UID_BASE", 1000...4_000_000_000) { uidBase = value }
        if let value = try integer("JUDGE_SANDBOX_GID_BASE", 1000...4_000_000_000) { gidBase = value }
        if let value = environment["JUDGE_SANDBOX_CGROUP_PARENT"] { cgroupParent = value }
        if let value = environment["JUDGE_SANDBOX_WORK_ROOT"] { workRoot = value }
        if let value = environment["JUDGE_SANDBOX_BWRAP"] { bubblewrapPath = value }
        if let value = environment["JUDGE_SANDBOX_HELPER"] { helperPath = value }
        try validate()
    }

    func validate() throws(SandboxError) {
        guard (1...256).contains(slots) else { throw .configuration("slots must be in 1...256") }
        guard uidBase > 0, gidBase > 0 else { throw .configuration("uid and gid bases must not be root") }
        let components = cgroupParent.split(separator: "/", omittingEmptySubsequences: false)
        guard !cgroupParent.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw .configuration("cgroup parent \"\(cgroupParent)\" must be a relative path without . or ..")
        }
        guard workRoot.hasPrefix("/") else { throw .configuration("work root must be absolute") }
    }
}
