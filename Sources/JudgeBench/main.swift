#if canImport(Glibc)
import Glibc
#endif
import JudgeCore

// `JudgeBench sandbox [-n N]`: the median and p90 wall time of a bare exec of /bin/true
// (posix_spawn + wait) against the same program run through BubblewrapSandbox with warm slots.
// The target is at most 3 ms of overhead at the median.

let arguments = Array(CommandLine.arguments.dropFirst())

/// Runs one benchmark mode and exits with its outcome.
func runMode(_ name: String, _ body: () async throws -> Void) async -> Never {
    do {
        try await body()
        exit(0)
    } catch {
        print("\(name) benchmark failed: \(error)")
        exit(1)
    }
}

func argument(_ index: Int, default value: Int) -> Int {
    arguments.count > index ? Int(arguments[index]) ?? value : value
}

switch arguments.first {
case "e2e":
    // `JudgeBench e2e PROBLEMS_PORT SUBMISSIONS_PORT [N]` (RPC_SECRET from the environment):
    // see EndToEndBench; tools/bench-judge.sh starts the services.
    guard arguments.count >= 3, let problems = Int(arguments[1]), let submissions = Int(arguments[2]),
          let secret = getenv("RPC_SECRET").map({ String(cString: $0) })
    else { break }
    await runMode("end-to-end") {
        try await EndToEndBench.run(problemsPort: problems, submissionsPort: submissions, secret: secret, count: argument(3, default: 60))
    }
case "games":
    await runMode("games") { try await GamesBench.run(matches: argument(1, default: 40)) }
case "engine":
    await runMode("engine") { try await EngineBench.run(count: argument(1, default: 20)) }
default:
    break
}
guard arguments.first == "sandbox" else {
    print("usage: JudgeBench sandbox [-n N] | engine [N] | games [MATCHES] | e2e PROBLEMS_PORT SUBMISSIONS_PORT [N]")
    exit(2)
}
let count: Int = {
    if let flag = arguments.firstIndex(of: "-n"), flag + 1 < arguments.count, let n = Int(arguments[flag + 1]), n > 0 {
        return n
    }
    return 200
}()

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func bareTrue() -> UInt64 {
    let start = now()
    var pid: pid_t = 0
    var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { free(argv[0]) }
    var environment: [UnsafeMutablePointer<CChar>?] = [nil]
    guard posix_spawn(&pid, "/bin/true", nil, nil, &argv, &environment) == 0 else { fatalError("posix_spawn /bin/true") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return now() - start
}

struct Summary {
    var median: Double
    var p90: Double

    init(_ nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        median = Double(sorted[sorted.count / 2]) / 1e6
        p90 = Double(sorted[min(sorted.count - 1, sorted.count * 9 / 10)]) / 1e6
    }
}

func format(_ milliseconds: Double) -> String {
    let hundredths = Int((milliseconds * 100).rounded())
    let fraction = abs(hundredths % 100)
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms"
}

let pid = getpid()
let configuration = SandboxConfiguration(
    slots: 1, cgroupParent: "algosports-judge/bench-\(pid)", workRoot: "/tmp/algosports-judge-bench-\(pid)"
)
let sandbox: BubblewrapSandbox
do {
    sandbox = try BubblewrapSandbox.start(configuration)
} catch {
    print("cannot start the sandbox: \(error)")
    exit(1)
}
func measureSandbox(_ sandbox: BubblewrapSandbox) async throws -> Summary {
    let box = try sandbox.makeBox()
    defer { try? BoxFiles.remove(box: box) }
    let run = SandboxRun(
        arguments: ["/bin/true"], boxDirectory: box,
        limits: SandboxLimits(cpuMilliseconds: 1000, wallMilliseconds: 5000, memoryBytes: 64 << 20)
    )
    var sandboxed: [UInt64] = []
    for index in 0..<(count + 20) {
        let start = now()
        let outcome = try await sandbox.run(run)
        let elapsed = now() - start
        guard outcome.termination == .exited(0) else { throw SandboxError.setupFailed("/bin/true ended with \(outcome.termination)") }
        if index >= 20 { sandboxed.append(elapsed) }  // the first runs warm the slot
    }
    return Summary(sandboxed)
}

for _ in 0..<20 { _ = bareTrue() }
let bare = Summary((0..<count).map { _ in bareTrue() })
let contained: Summary
do {
    contained = try await measureSandbox(sandbox)
    await sandbox.shutdown()
} catch {
    print("sandboxed run failed: \(error)")
    await sandbox.shutdown()
    exit(1)
}
rmdir(configuration.workRoot)

let overhead = contained.median - bare.median
print("sandbox: /bin/true, N=\(count) each")
print("  bare exec (posix_spawn + wait)   median \(format(bare.median))   p90 \(format(bare.p90))")
print("  BubblewrapSandbox (warm slot)    median \(format(contained.median))   p90 \(format(contained.p90))")
print("  overhead at the median: \(format(overhead)) — target <= 3 ms: \(overhead <= 3 ? "MET" : "NOT MET")")
