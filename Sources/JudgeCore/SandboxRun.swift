#if canImport(Glibc)
import Glibc
#endif

/// One program run inside a sandbox slot. The engine (compile, run tests, checkers, interactors)
/// describes runs with this; the sandbox decides how to contain them.
public struct SandboxRun: Sendable {
    /// argv[0] is an absolute path as seen inside the sandbox.
    public var arguments: [String]
    /// The whole environment of the program; nothing is inherited from the judge.
    public var environment: [String: String]
    /// Working directory inside the sandbox ("/box").
    public var workingDirectory: String
    /// Host directory mounted read-write at /box; the judge creates it, the program may write it.
    public var boxDirectory: String
    /// Extra read-only binds: host path -> sandbox path (test input, compiled program, ...).
    public var readOnlyBinds: [(host: String, sandbox: String)]
    public var stdin: Input
    public var stdout: Output
    public var stderr: Output
    public var limits: SandboxLimits

    public enum Input: Sendable {
        case null
        /// A host file the judge opens itself (O_NOFOLLOW) and passes as a descriptor.
        case file(path: String)
        /// A descriptor the caller owns (an interactor's pipe); the sandbox dups it.
        case descriptor(Int32)
    }

    public enum Output: Sendable {
        case discard
        /// Collected through a pipe the judge reads, capped at `limits.outputBytes`.
        case capture
        /// Written to a host file the judge creates itself (O_NOFOLLOW|O_EXCL), capped by
        /// RLIMIT_FSIZE and checked after the run.
        case file(path: String)
        case descriptor(Int32)
    }

    public init(
        arguments: [String], environment: [String: String] = [:], workingDirectory: String = "/box",
        boxDirectory: String, readOnlyBinds: [(host: String, sandbox: String)] = [],
        stdin: Input = .null, stdout: Output = .capture, stderr: Output = .capture, limits: SandboxLimits
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.boxDirectory = boxDirectory
        self.readOnlyBinds = readOnlyBinds
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.limits = limits
    }
}

public struct SandboxLimits: Sendable, Hashable {
    public var cpuMilliseconds: Int
    public var wallMilliseconds: Int
    /// Memory (+swap where the kernel accounts it) of the whole process tree, from the cgroup.
    public var memoryBytes: Int
    /// Processes and threads of the tree (pids cgroup); JVM and V8 need a few dozen.
    public var processes: Int
    /// Cap of captured output and of files the program writes (RLIMIT_FSIZE).
    public var outputBytes: Int
    public var stackBytes: Int
    public var openFiles: Int
    /// Size of the tmpfs root and /tmp.
    public var tmpBytes: Int

    public init(
        cpuMilliseconds: Int, wallMilliseconds: Int, memoryBytes: Int, processes: Int = 1,
        outputBytes: Int = 64 << 20, stackBytes: Int = 256 << 20, openFiles: Int = 64, tmpBytes: Int = 64 << 20
    ) {
        self.cpuMilliseconds = cpuMilliseconds
        self.wallMilliseconds = wallMilliseconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.outputBytes = outputBytes
        self.stackBytes = stackBytes
        self.openFiles = openFiles
        self.tmpBytes = tmpBytes
    }
}

/// How a run ended, measured by the judge (cgroup counters and its own reaper), never by the
/// program's exit code alone: `exit(137)` is an exit, not a kill.
public struct SandboxOutcome: Sendable, Hashable {
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
    }

    public var termination: Termination
    public var cpuMilliseconds: Int
    public var wallMilliseconds: Int
    public var peakMemoryBytes: Int
    /// The memory cgroup hit its limit (an OOM kill or a failed allocation).
    public var memoryLimitHit: Bool
    public var cpuLimitHit: Bool
    public var wallLimitHit: Bool
    /// Captured stdout/stderr reached `outputBytes`, or a written file hit RLIMIT_FSIZE.
    public var outputLimitHit: Bool
    /// The seccomp filter killed the program (SIGSYS).
    public var securityViolation: Bool
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(
        termination: Termination, cpuMilliseconds: Int, wallMilliseconds: Int, peakMemoryBytes: Int,
        memoryLimitHit: Bool = false, cpuLimitHit: Bool = false, wallLimitHit: Bool = false,
        outputLimitHit: Bool = false, securityViolation: Bool = false, stdout: [UInt8] = [], stderr: [UInt8] = []
    ) {
        self.termination = termination
        self.cpuMilliseconds = cpuMilliseconds
        self.wallMilliseconds = wallMilliseconds
        self.peakMemoryBytes = peakMemoryBytes
        self.memoryLimitHit = memoryLimitHit
        self.cpuLimitHit = cpuLimitHit
        self.wallLimitHit = wallLimitHit
        self.outputLimitHit = outputLimitHit
        self.securityViolation = securityViolation
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A pool of sandbox slots (own uid, pre-created cgroups). `run` waits for a free slot; two runs
/// that must talk to each other (interactor and solution) use `runPair`.
public protocol SandboxRunner: Sendable {
    func run(_ run: SandboxRun) async throws -> SandboxOutcome
    /// Runs both at once, wiring a's stdout to b's stdin and b's stdout to a's stdin (the
    /// `stdin`/`stdout` of both runs are ignored). Needs two free slots.
    func runPair(_ a: SandboxRun, _ b: SandboxRun) async throws -> (SandboxOutcome, SandboxOutcome)
    /// Runs every member at once, each in its own slot (all taken together, so that groups never
    /// deadlock on a partial set), with the stdin and stdout descriptors given; a game's referee
    /// and bots.
    func runGroup(_ members: [GroupMember]) async throws -> [SandboxOutcome]
}

extension SandboxRunner {
    public func runGroup(_ members: [GroupMember]) async throws -> [SandboxOutcome] {
        for member in members { close(member.stdin); close(member.stdout) }
        throw SandboxError.invalidRun("this sandbox cannot run groups")
    }
}
