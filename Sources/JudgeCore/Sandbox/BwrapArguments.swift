#if canImport(Glibc)
import Glibc
#endif

/// bubblewrap's command line for a slot, and the request of one run. Every namespace but the user
/// namespace is new (each run then gets its own mount, pid and ipc namespaces): we run
/// as root, and a user namespace would map only root, leaving no slot uid to drop to. The program
/// cannot make one either (seccomp kills unshare and namespace clones).
struct BwrapArguments {
    static let initPath = "/.sandbox-init"
    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"
    /// SLOT_BINDS_MAX of helper.h: each bind travels as a descriptor.
    static let maximumBinds = 64

    /// The read-only toolchain, the same for every run.
    let fixedMounts: [String]
    let bubblewrapPath: String
    let helperPath: String

    init(configuration: SandboxConfiguration, helperPath: String) {
        var mounts: [String] = []
        // Merged-/usr systems have /bin, /lib, ... as links into /usr: recreate the links.
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink(top, &buffer, buffer.count - 1)
            if n > 0 {
                mounts += ["--symlink", String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self), top]
            } else if Posix.isDirectory(top) {
                mounts += ["--ro-bind", top, top]
            }
        }
        var directories: Set<String> = ["/", "/proc", "/dev", "/tmp", "/box"]
        for path in configuration.readOnlyPaths where Posix.exists(path) {
            mounts += Self.parents(of: path, existing: &directories) + ["--ro-bind", path, path]
            directories.insert(path)
        }
        fixedMounts = mounts
        bubblewrapPath = configuration.bubblewrapPath
        self.helperPath = helperPath
    }

    /// The slot's one bwrap, started by its helper: namespaces, the read-only toolchain, /proc,
    /// /dev, and our run server, which keeps CAP_SYS_ADMIN for each run's mounts, CAP_DAC_OVERRIDE
    /// to reach bind targets inside the slot-owned 0700 box, and CAP_SETUID/CAP_SETGID to drop the
    /// program to the slot's uid (which clears them all).
    func slotArguments() -> [String] {
        var arguments = [
            bubblewrapPath,
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_DAC_OVERRIDE",
            "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
            // Only mount points live here; nothing in it is writable by the slot uid.
            "--size", "\(1 << 20)", "--tmpfs", "/",
        ]
        arguments += fixedMounts
        arguments += [
            "--proc", "/proc", "--dev", "/dev", "--dir", "/tmp", "--dir", "/box",
            "--ro-bind", helperPath, Self.initPath,
            "--", Self.initPath, "server",
        ]
        return arguments
    }

    /// One run's request to the slot helper (helper.h): TMP_BYTES BOX N (HOST SANDBOX)*N, then our
    /// init's UID GID CPU_S FSIZE NOFILE STACK DIRECTORY NAME=VALUE... -- PROGRAM ARGS.
    func request(for run: SandboxRun, uid: Int, gid: Int) -> [String] {
        let limits = run.limits
        var arguments = ["\(max(limits.tmpBytes, 1 << 20))", run.boxDirectory, "\(run.readOnlyBinds.count)"]
        for bind in run.readOnlyBinds {
            arguments += [bind.host, bind.sandbox]
        }
        let cpuSeconds = (max(limits.cpuMilliseconds, 1) + 999) / 1000 + 1
        arguments += [
            "\(uid)", "\(gid)", "\(cpuSeconds)", "\(max(limits.outputBytes, 1))",
            "\(max(limits.openFiles, 4))", "\(max(limits.stackBytes, 64 << 10))", run.workingDirectory,
        ]
        // Our init execs the program with exactly these.
        var environment = run.environment
        if environment["PATH"] == nil { environment["PATH"] = Self.defaultPath }
        arguments += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        arguments.append("--")
        arguments += run.arguments
        return arguments
    }

    /// bwrap creates missing parents of a mount point with mode 0700, which the slot uid cannot
    /// enter: create them 0755 first. Parents inside /box and /tmp are the program's own.
    private static func parents(of path: String, existing: inout Set<String>) -> [String] {
        var arguments: [String] = []
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent += "/\(component)"
            if parent == "/box" || parent == "/tmp" || parent.hasPrefix("/box/") || parent.hasPrefix("/tmp/") { break }
            if existing.insert(parent).inserted {
                arguments += ["--perms", "0755", "--dir", parent]
            }
        }
        return arguments
    }

    /// Strings the kernel cannot carry (NUL) or that bwrap would misread.
    static func validate(_ run: SandboxRun) throws(SandboxError) {
        guard let program = run.arguments.first, program.hasPrefix("/") else {
            throw .invalidRun("arguments must start with an absolute program path")
        }
        let all = run.arguments + [run.workingDirectory, run.boxDirectory] + run.readOnlyBinds.flatMap { [$0.host, $0.sandbox] }
            + run.environment.flatMap { [$0.key, $0.value] }
        guard !all.contains(where: { $0.utf8.contains(0) }) else { throw .invalidRun("a string contains a NUL byte") }
        for name in run.environment.keys where name.isEmpty || name.contains("=") {
            throw .invalidRun("bad environment variable name \"\(name)\"")
        }
        guard run.readOnlyBinds.count <= Self.maximumBinds else {
            throw .invalidRun("at most \(Self.maximumBinds) read-only binds per run")
        }
        for bind in run.readOnlyBinds where !bind.sandbox.hasPrefix("/") || bind.sandbox.split(separator: "/").contains("..") {
            throw .invalidRun("read-only bind target \"\(bind.sandbox)\" must be an absolute path without ..")
        }
        guard run.boxDirectory.hasPrefix("/"), run.workingDirectory.hasPrefix("/") else {
            throw .invalidRun("box and working directory must be absolute paths")
        }
    }
}
