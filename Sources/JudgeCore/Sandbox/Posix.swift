#if canImport(Glibc)
import Glibc
#endif

/// The few system calls the sandbox makes, retried on EINTR and turned into `SandboxError`s.
enum Posix {
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SandboxError) -> Int32 {
        try retrying("open \(path)") { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    static func openat(_ directory: Int32, _ name: String, _ flags: Int32, mode: mode_t = 0) throws(SandboxError) -> Int32 {
        try retrying("openat \(name)") { Glibc.openat(directory, name, flags | O_CLOEXEC, mode) }
    }

    /// Close-on-exec pipe ends. Glibc's pipe2 is not visible to Swift; the judge spawns no other
    /// processes while it runs, so setting the flag right after creation is enough.
    static func pipe() throws(SandboxError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw .system("pipe", errno: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    static func duplicate(_ fd: Int32) throws(SandboxError) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        guard copy >= 0 else { throw .system("dup of descriptor \(fd)", errno: errno) }
        return copy
    }

    static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SandboxError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("write", errno: errno)
            }
            offset += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SandboxError) {
        var failure: SandboxError?
        bytes.withUnsafeBytes { raw in
            do throws(SandboxError) { try writeAll(fd, raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// A small file (proc, cgroup) read whole; nil when it cannot be read.
    static func readSmallFile(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeFile(_ path: String, _ text: String) throws(SandboxError) {
        let fd = try open(path, O_WRONLY)
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8))
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    private static func retrying(_ what: @autoclosure () -> String, _ call: () -> Int32) throws(SandboxError) -> Int32 {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw .system(what(), errno: errno) }
        }
    }
}

/// A cgroup control file kept open: a run rewrites and rereads a handful of them, and an open
/// descriptor turns each access into one pwrite/pread.
final class ControlFile: @unchecked Sendable {
    let path: String
    private let fd: Int32

    init(_ path: String, writable: Bool) throws(SandboxError) {
        self.path = path
        self.fd = try Posix.open(path, writable ? O_RDWR : O_RDONLY)
    }

    deinit { Posix.close(fd) }

    func write(_ text: String) throws(SandboxError) {
        let written = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        if written < 0 { throw .system("write \(text) to \(path)", errno: errno) }
    }

    func read() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    /// The file's first number (`cpuacct.usage`, `memory.max_usage_in_bytes`, ...); 0 when unreadable.
    func integer() -> UInt64 {
        UInt64(read().prefix { $0.isNumber }) ?? 0
    }

    /// The value of `key` in a flat keyed file (`memory.oom_control`, `memory.events`, `cpu.stat`).
    func value(of key: String) -> UInt64 {
        for line in read().split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return UInt64(parts[1]) ?? 0 }
        }
        return 0
    }
}
