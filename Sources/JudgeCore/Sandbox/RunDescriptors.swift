#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// The descriptors that become a run's stdin, stdout and stderr, all opened by the judge itself:
/// files with O_NOFOLLOW (output files also O_EXCL, so a planted link or file is refused), pipes
/// for captured output. The judge's copies are closed once the helper has its own.
struct RunDescriptors: @unchecked Sendable {
    var stdin: Int32
    var stdout: Int32
    var stderr: Int32
    /// The judge's read ends of captured output; nil when not captured.
    var stdoutCapture: Int32?
    var stderrCapture: Int32?
    /// Files the run writes, checked against the output cap afterwards.
    var outputFiles: [Int32] = []

    static func open(for run: SandboxRun, stdin pairedStdin: Int32? = nil, stdout pairedStdout: Int32? = nil) throws(SandboxError) -> RunDescriptors {
        var opened: [Int32] = []
        do {
            func track(_ fd: Int32) -> Int32 {
                opened.append(fd)
                return fd
            }
            let stdin: Int32
            if let pairedStdin {
                stdin = pairedStdin
            } else {
                stdin = track(try input(run.stdin))
            }
            var descriptors = RunDescriptors(stdin: stdin, stdout: -1, stderr: -1)
            if let pairedStdout {
                descriptors.stdout = pairedStdout
            } else {
                let (fd, capture, file) = try output(run.stdout)
                descriptors.stdout = track(fd)
                descriptors.stdoutCapture = capture.map(track)
                if file { descriptors.outputFiles.append(track(try Posix.duplicate(fd))) }
            }
            let (fd, capture, file) = try output(run.stderr)
            descriptors.stderr = track(fd)
            descriptors.stderrCapture = capture.map(track)
            if file { descriptors.outputFiles.append(track(try Posix.duplicate(fd))) }
            return descriptors
        } catch {
            for fd in opened { Posix.close(fd) }
            throw error
        }
    }

    private static func input(_ input: SandboxRun.Input) throws(SandboxError) -> Int32 {
        switch input {
        case .null: try Posix.open("/dev/null", O_RDONLY)
        case .file(let path): try Posix.open(path, O_RDONLY | O_NOFOLLOW)
        case .descriptor(let fd): try Posix.duplicate(fd)
        }
    }

    /// (the program's end, the judge's capture end, whether it is a file to check afterwards)
    private static func output(_ output: SandboxRun.Output) throws(SandboxError) -> (Int32, Int32?, Bool) {
        switch output {
        case .discard: return (try Posix.open("/dev/null", O_WRONLY), nil, false)
        case .capture:
            let pipe = try Posix.pipe()
            return (pipe.write, pipe.read, false)
        case .file(let path):
            return (try Posix.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600), nil, true)
        case .descriptor(let fd): return (try Posix.duplicate(fd), nil, false)
        }
    }

    /// The program's ends, once sent to the helper (or when the run never starts).
    func closeProgramEnds() {
        for fd in Set([stdin, stdout, stderr]) { Posix.close(fd) }
    }

    func closeAll() {
        closeProgramEnds()
        for fd in [stdoutCapture, stderrCapture].compactMap({ $0 }) + outputFiles { Posix.close(fd) }
    }
}

/// Set from a task's cancellation handler, read by the supervising thread.
final class CancellationFlag: Sendable {
    private let flag = NIOLockedValueBox(false)
    func set() { flag.withLockedValue { $0 = true } }
    var isSet: @Sendable () -> Bool { { [flag] in flag.withLockedValue { $0 } } }
}
