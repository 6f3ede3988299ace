#if canImport(Glibc)
import Glibc
#endif

/// The judge's end of a captured stdout/stderr pipe, read without blocking up to a cap
/// (RLIMIT_FSIZE does nothing for pipes).
final class OutputCollector {
    let fd: Int32
    let cap: Int
    private(set) var bytes: [UInt8] = []
    private(set) var finished = false
    private(set) var capReached = false

    init(fd: Int32, cap: Int) {
        self.fd = fd
        self.cap = max(cap, 0)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { Posix.close(fd) }

    /// Reads what is there; returns true when the cap was just reached (the run must be killed).
    func drain() -> Bool {
        guard !finished else { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return false }  // EAGAIN: nothing more for now
            if n == 0 {
                finished = true
                return false
            }
            let room = cap - bytes.count
            bytes += chunk[0..<min(n, room)]
            if n >= room {
                // Stop reading: a writer that keeps going blocks or gets SIGPIPE until it is killed.
                capReached = true
                finished = true
                return true
            }
        }
    }
}
