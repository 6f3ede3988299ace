import NIOConcurrencyHelpers

/// A live handle on one run of a group: its CPU time so far and a way to stop it, for a harness
/// that enforces limits per turn rather than per run (a game's bots).
public final class RunControl: Sendable {
    private struct State {
        var cpu: (@Sendable () -> UInt64)?
        var stopRequested = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// CPU nanoseconds the run has used (every process of it); 0 before it starts.
    public func cpuNanoseconds() -> UInt64 {
        self.state.withLockedValue { $0.cpu }?() ?? 0
    }

    /// Kills the run (all its processes) at the supervisor's next look, within milliseconds.
    public func stop() {
        self.state.withLockedValue { $0.stopRequested = true }
    }

    /// True once the run's counters are reset and it is about to start.
    public var isStarted: Bool { self.state.withLockedValue { $0.cpu != nil } }

    var isStopRequested: Bool { self.state.withLockedValue { $0.stopRequested } }

    func attach(cpu: @escaping @Sendable () -> UInt64) {
        self.state.withLockedValue { $0.cpu = cpu }
    }
}

/// One program of a group run, with the descriptors that become its stdin and stdout (taken
/// over: the sandbox closes them once the program has its own).
public struct GroupMember: Sendable {
    public var run: SandboxRun
    public var stdin: Int32
    public var stdout: Int32
    public var control: RunControl

    public init(run: SandboxRun, stdin: Int32, stdout: Int32, control: RunControl = RunControl()) {
        self.run = run
        self.stdin = stdin
        self.stdout = stdout
        self.control = control
    }
}
