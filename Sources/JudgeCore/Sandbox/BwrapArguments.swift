#if canImport(Glibc)
import Glibc
#endif

/// bubblewrap's command line for one run. Every namespace but the user namespace is new: we run
/// as root, and a user namespace would map only root, leaving no slot uid to drop to. The program
/// cannot make one either (seccomp kills unshare and namespace clones).
struct BwrapArguments {
    static let initPath = "/.sandbox-init"
    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    /// The part that is the same for every run: namespaces, capabilities, the read-only toolchain.
    let fixedMounts: [String]
    /// Directories the fixed mounts create or mount; a run's binds may need more.
    let fixedDirectories: Set<String>
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
        fixedDirectories = directories
        bubblewrapPath = configuration.bubblewrapPath
        self.helperPath = helperPath
    }

    func arguments(for run: SandboxRun, uid: Int, gid: Int) -> [String] {
        let limits = run.limits
        var arguments = [
            bubblewrapPath,
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session",
            // Our init needs only these two, to drop to the slot's uid; it loses them doing so.
            "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
            "--size", "\(max(limits.tmpBytes, 1 << 20))", "--tmpfs", "/",
        ]
        arguments += fixedMounts
        arguments += [
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", "\(max(limits.tmpBytes, 1 << 20))", "--tmpfs", "/tmp",
            "--bind", run.boxDirectory, "/box",
        ]
        var directories = fixedDirectories
        for bind in run.readOnlyBinds {
            arguments += Self.parents(of: bind.sandbox, existing: &directories) + ["--ro-bind", bind.host, bind.sandbox]
        }
        arguments += ["--ro-bind", helperPath, Self.initPath]
        let cpuSeconds = (max(limits.cpuMilliseconds, 1) + 999) / 1000 + 1
        arguments += [
            "--", Self.initPath, "init", "\(uid)", "\(gid)", "\(cpuSeconds)", "\(max(limits.outputBytes, 1))",
            "\(max(limits.openFiles, 4))", "\(max(limits.stackBytes, 64 << 10))", run.workingDirectory,
        ]
        // Our init execs the program with exactly these (bwrap would add PWD).
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
        for bind in run.readOnlyBinds where !bind.sandbox.hasPrefix("/") || bind.sandbox.split(separator: "/").contains("..") {
            throw .invalidRun("read-only bind target \"\(bind.sandbox)\" must be an absolute path without ..")
        }
        guard run.boxDirectory.hasPrefix("/"), run.workingDirectory.hasPrefix("/") else {
            throw .invalidRun("box and working directory must be absolute paths")
        }
    }
}
