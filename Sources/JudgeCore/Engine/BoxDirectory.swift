#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads what a program left in its box without trusting it: the box is opened once, entries are
/// opened relative to it with O_NOFOLLOW, and only regular files count. A symlink or FIFO planted
/// by the compiler or the program is never followed or opened for blocking reads.
struct BoxDirectory: ~Copyable {
    private let directory: Int32
    let path: String

    init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open box", path) }
        self.directory = fd
        self.path = path
    }

    deinit { close(self.directory) }

    /// Names of regular files at the top of the box matching `pattern` (a name, or `*.ext`).
    func names(matching pattern: String) -> [String] {
        FileSystem.entries(of: self.directory).filter { name in
            guard Self.matches(name, pattern) else { return false }
            var info = stat()
            return fstatat(self.directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }.sorted()
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        if pattern.hasPrefix("*") { return name.hasSuffix(pattern.dropFirst()) && name.count > pattern.count - 1 }
        return name == pattern
    }

    /// At most `limit` bytes of a regular file; nil when it is missing or not a regular file.
    func read(_ name: String, limit: Int) throws -> [UInt8]? {
        guard !name.contains("/") else { return nil }
        let fd = openat(self.directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return try FileSystem.readAll(fd, limit: limit, path: self.path + "/" + name)
    }

    /// Copies the files matching `patterns` to `destination` (a judge-owned directory), executable,
    /// each at most `limit` bytes. Returns the patterns that matched nothing.
    func copy(_ patterns: [String], to destination: String, limit: Int) throws -> [String] {
        var missing: [String] = []
        for pattern in patterns {
            let names = self.names(matching: pattern)
            if names.isEmpty { missing.append(pattern) }
            for name in names {
                guard try self.copy(name, to: destination + "/" + name, limit: limit) else { missing.append(name); continue }
            }
        }
        return missing
    }

    /// Streams one regular file out of the box; false when it is missing or not a regular file.
    func copy(_ name: String, to target: String, limit: Int) throws -> Bool {
        guard !name.contains("/") else { return false }
        let source = openat(self.directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard source >= 0 else { return false }
        defer { close(source) }
        var info = stat()
        guard fstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let sink = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o755)
        guard sink >= 0 else { throw FileSystemError("create", target) }
        defer { close(sink) }
        var copied = 0
        while copied < limit {
            let chunk = try FileSystem.readAll(source, limit: min(1 << 20, limit - copied), path: self.path + "/" + name)
            if chunk.isEmpty { break }
            try FileSystem.writeAll(sink, chunk, path: target)
            copied += chunk.count
        }
        return true
    }
}
