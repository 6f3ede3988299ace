#if canImport(Glibc)
import Glibc
#endif
import NIOPosix

/// The judge's sandbox: a pool of slots, each with its own uid/gid, pre-created cgroups and a
/// long-lived SandboxHelper and bubblewrap in which every run gets fresh namespaces. See docs/sandbox.md.
public final class BubblewrapSandbox: SandboxRunner {
    public let configuration: SandboxConfiguration
    private let slots: [SandboxSlot]
    private let pool: SlotPool
    /// Process waits and pipe reads block: one thread per slot, never an event loop.
    private let threads: NIOThreadPool
    private let command: BwrapArguments
    /// Our claim on the cgroup parent (Cgroups.claimParent), released at shutdown.
    private let parentClaim: Int32

    private init(configuration: SandboxConfiguration, slots: [SandboxSlot], command: BwrapArguments, parentClaim: Int32) {
        self.configuration = configuration
        self.slots = slots
        self.command = command
        self.parentClaim = parentClaim
        pool = SlotPool(slots: slots.count)
        threads = NIOThreadPool(numberOfThreads: slots.count)
        threads.start()
    }

    /// Creates every slot's cgroups and starts its helper; fails with a clear error when the
    /// machine cannot host the sandbox (not root, no cgroups, no bwrap, no helper).
    public static func start(_ configuration: SandboxConfiguration) throws(SandboxError) -> BubblewrapSandbox {
        try configuration.validate()
        guard geteuid() == 0 else {
            throw .configuration("the judge's sandbox needs root (namespaces, cgroups, slot uids); see docs/sandbox.md")
        }
        guard access(configuration.bubblewrapPath, X_OK) == 0 else {
            throw .configuration("bubblewrap not found at \(configuration.bubblewrapPath)")
        }
        let helperPath = configuration.helperPath ?? Self.helperNextToExecutable()
        guard access(helperPath, X_OK) == 0 else {
            throw .configuration("SandboxHelper not found at \(helperPath) (set JUDGE_SANDBOX_HELPER)")
        }
        try makeWorkRoot(configuration.workRoot)
        let claim = try Cgroups.claimParent(configuration)
        let command = BwrapArguments(configuration: configuration, helperPath: helperPath)
        var slots: [SandboxSlot] = []
        do {
            for index in 0..<configuration.slots {
                slots.append(try SandboxSlot(index: index, configuration: configuration, helperPath: helperPath, bubblewrap: command.slotArguments()))
            }
        } catch {
            for slot in slots { slot.shutdown() }
            Posix.close(claim)
            throw error
        }
        return BubblewrapSandbox(configuration: configuration, slots: slots, command: command, parentClaim: claim)
    }

    /// Waits for runs in flight, stops the helpers and removes the cgroups.
    public func shutdown() async {
        pool.close()
        await pool.waitUntilIdle()
        for slot in slots { slot.shutdown() }
        Posix.close(parentClaim)
        try? await threads.shutdownGracefully()
    }

    /// A fresh, empty box directory under the work root (mode 0700, owned by root until a run
    /// hands it to its slot). Remove it with `BoxFiles.remove(box:)`.
    public func makeBox() throws(SandboxError) -> String {
        var template = Array("\(configuration.workRoot)/box-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .system("mkdtemp in \(configuration.workRoot)", errno: errno)
        }
        return String(cString: path)
    }

    public func run(_ run: SandboxRun) async throws -> SandboxOutcome {
        try BwrapArguments.validate(run)
        let index = try await pool.acquire(1)[0]
        defer { pool.release([index]) }
        let slot = slots[index]
        let io = try RunDescriptors.open(for: run)
        return try await execute(run, in: slot, io: io)
    }

    public func runPair(_ a: SandboxRun, _ b: SandboxRun) async throws -> (SandboxOutcome, SandboxOutcome) {
        try BwrapArguments.validate(a)
        try BwrapArguments.validate(b)
        let indices = try await pool.acquire(2)
        defer { pool.release(indices) }
        let (aToB, bToA) = try (Posix.pipe(), Posix.pipe())
        // Each pipe end belongs to exactly one run, which closes it once its helper has it: the
        // other side then sees EOF when its peer is gone.
        let aIO: RunDescriptors, bIO: RunDescriptors
        do {
            aIO = try RunDescriptors.open(for: a, stdin: bToA.read, stdout: aToB.write)
        } catch {
            for fd in [aToB.read, aToB.write, bToA.read, bToA.write] { Posix.close(fd) }
            throw error
        }
        do {
            bIO = try RunDescriptors.open(for: b, stdin: aToB.read, stdout: bToA.write)
        } catch {
            aIO.closeAll()
            for fd in [aToB.read, bToA.write] { Posix.close(fd) }
            throw error
        }
        async let first = execute(a, in: slots[indices[0]], io: aIO)
        async let second = execute(b, in: slots[indices[1]], io: bIO)
        return try await (first, second)
    }

    public func runGroup(_ members: [GroupMember]) async throws -> [SandboxOutcome] {
        // The members' descriptors are ours from here: each is closed exactly once, by its
        // RunDescriptors once opened, or here when the group never starts.
        var opened: [RunDescriptors] = []
        do {
            guard members.count <= slots.count else {
                throw SandboxError.configuration("a group of \(members.count) programs needs as many slots; JUDGE_SANDBOX_SLOTS is \(slots.count)")
            }
            for member in members { try BwrapArguments.validate(member.run) }
            for member in members {
                opened.append(try RunDescriptors.open(for: member.run, stdin: member.stdin, stdout: member.stdout))
            }
        } catch {
            for io in opened { io.closeAll() }
            for member in members[opened.count...] {
                Posix.close(member.stdin)
                Posix.close(member.stdout)
            }
            throw error
        }
        let indices: [Int]
        do {
            indices = try await pool.acquire(members.count)
        } catch {
            for io in opened { io.closeAll() }
            throw error
        }
        defer { pool.release(indices) }
        let slots = indices.map { self.slots[$0] }
        return try await withThrowingTaskGroup(of: (Int, SandboxOutcome).self) { group in
            for (index, member) in members.enumerated() {
                let slot = slots[index], io = opened[index]
                group.addTask {
                    let outcome = try await self.execute(member.run, in: slot, io: io, control: member.control)
                    return (index, outcome)
                }
            }
            var outcomes = [SandboxOutcome?](repeating: nil, count: members.count)
            for try await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
    }

    private func execute(_ run: SandboxRun, in slot: SandboxSlot, io: RunDescriptors, control: RunControl? = nil) async throws -> SandboxOutcome {
        let cancelled = CancellationFlag()
        let arguments = command.request(for: run, uid: slot.uid, gid: slot.gid)
        let isCancelled = cancelled.isSet
        let shouldStop: @Sendable () -> Bool
        if let control {
            shouldStop = { isCancelled() || control.isStopRequested }
        } else {
            shouldStop = isCancelled
        }
        return try await withTaskCancellationHandler {
            try await threads.runIfActive {
                var execution = RunExecution(slot: slot, run: run, arguments: arguments, io: io, isCancelled: shouldStop)
                if let control {
                    let cgroups = slot.cgroups
                    execution.onStart = { control.attach { cgroups.cpuNanoseconds() } }
                }
                return try execution.perform()
            }
        } onCancel: {
            cancelled.set()
        }
    }

    private static func helperNextToExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "SandboxHelper" }
        let executable = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return "\(directory)/SandboxHelper"
    }

    private static func makeWorkRoot(_ path: String) throws(SandboxError) {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .configuration("cannot create work root \(path): \(SandboxError.describe(errno: errno))")
            }
        }
    }
}
