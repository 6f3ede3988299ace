#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a judge-owned path: always the judge's fault (SE).
package struct FileSystemError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    init(_ operation: String, _ path: String) {
        self.operation = operation
        self.path = path
        self.code = errno
    }

    package var description: String { "\(self.operation) \(self.path): \(String(cString: strerror(self.code)))" }
}

/// Blocking file operations on judge-owned paths; callers run them off event loops.
package enum FileSystem {
    package static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        if mkdir(path, mode) != 0 && errno != EEXIST { throw FileSystemError("mkdir", path) }
    }

    /// A directory for a run's /box: the program runs as another uid and must write it, which
    /// the umask would not allow.
    package static func makeBox(_ path: String) throws {
        try self.makeDirectory(path, mode: 0o777)
        guard chmod(path, 0o777) == 0 else { throw FileSystemError("chmod", path) }
    }

    package static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            try self.makeDirectory(prefix)
        }
    }

    /// Creates the file (never through a symlink, never over an existing file).
    package static func writeFile(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError("create", path) }
        defer { close(fd) }
        try self.writeAll(fd, Array(bytes), path: path)
    }

    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("write", path)
            }
            written += n
        }
    }

    /// At most `limit` bytes of a regular file; nil when it does not exist.
    package static func readFile(_ path: String, limit: Int = .max) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw FileSystemError("open", path)
        }
        defer { close(fd) }
        return try self.readAll(fd, limit: limit, path: path)
    }

    package static func readAll(_ fd: Int32, limit: Int, path: String) throws(FileSystemError) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while result.count < limit {
            let wanted = min(buffer.count, limit - result.count)
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, wanted) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read", path)
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a tree without following symlinks (a link planted in a box is unlinked, never
    /// entered), flattening deep trees instead of holding a descriptor per level.
    package static func removeTree(_ path: String) {
        guard (try? BoxFiles.remove(box: path)) == nil else { return }
        unlink(path)
    }

    /// Names in a directory (not `.` and `..`); the descriptor stays open and usable.
    package static func entries(of directory: Int32) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    package static func list(_ path: String) throws -> [String] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", path) }
        defer { close(fd) }
        return self.entries(of: fd)
    }

    /// The size of a regular file, not following links; nil for anything else.
    package static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Bytes of regular files under a directory (not following links).
    package static func treeSize(_ path: String) -> Int {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var total = 0
        for name in self.entries(of: fd) {
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                total += self.treeSize(path + "/" + name)
            } else {
                total += Int(info.st_size)
            }
        }
        return total
    }

    package static func modificationTime(_ path: String) -> Int {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }

    /// Marks a cache entry as just used (its mtime is the LRU clock across restarts).
    package static func touch(_ path: String) {
        utimensat(AT_FDCWD, path, nil, AT_SYMLINK_NOFOLLOW)
    }

    package static func randomName() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }
}
