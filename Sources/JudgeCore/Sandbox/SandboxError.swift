#if canImport(Glibc)
import Glibc
#endif

/// Failures of the sandbox itself (never of the program in it: those are `SandboxOutcome`s). The
/// engine reports them as a system error, which JudgeService retries.
public enum SandboxError: Error, Hashable, CustomStringConvertible {
    /// Bad configuration or an unusable machine (no cgroups, no bwrap, not privileged).
    case configuration(String)
    /// The run description cannot be executed as given (empty argv, NUL in a string, ...).
    case invalidRun(String)
    /// A system call failed while setting up or supervising a run.
    case system(String, errno: Int32)
    /// bwrap or the helper could not start the program.
    case setupFailed(String)
    case shutDown

    public var description: String {
        switch self {
        case .configuration(let message): "sandbox configuration: \(message)"
        case .invalidRun(let message): "invalid sandbox run: \(message)"
        case .system(let call, let errno): "sandbox: \(call) failed: \(SandboxError.describe(errno: errno))"
        case .setupFailed(let message): "sandbox setup failed: \(message)"
        case .shutDown: "sandbox is shut down"
        }
    }

    static func describe(errno: Int32) -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return "\(String(cString: text)) (errno \(errno))"
    }
}
