#if canImport(Glibc)
import Glibc
#endif

/// Files in a box, handled as root without ever following what the program left there: every path
/// component is opened with openat + O_NOFOLLOW (a link planted in place of an output file fails
/// with ELOOP instead of leaking the file it points to), FIFOs and devices are refused, and removal
/// unlinks entries instead of walking into links.
public enum BoxFiles {
    /// Up to `limit` bytes of the regular file `name` (relative, "/"-separated) in `box`.
    public static func read(box: String, name: String, limit: Int) throws(SandboxError) -> [UInt8] {
        let fd = try open(box: box, name: name, flags: O_RDONLY | O_NONBLOCK)
        defer { Posix.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system("fstat \(name)", errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .invalidRun("\(name) in the box is not a regular file") }
        do {
            return try FileSystem.readAll(fd, limit: limit, path: name)
        } catch {
            throw .system("read \(name)", errno: error.code)
        }
    }

    /// Creates `name` in `box` (it must not exist yet) with `contents`; for sources and inputs
    /// the judge puts in a box before a run.
    public static func write(box: String, name: String, contents: [UInt8], mode: mode_t = 0o644) throws(SandboxError) {
        let fd = try open(box: box, name: name, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        defer { Posix.close(fd) }
        try Posix.writeAll(fd, contents)
        _ = fchmod(fd, mode)
    }

    /// Removes the box and everything in it.
    public static func remove(box: String) throws(SandboxError) {
        let root = try Posix.open(box, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        defer { Posix.close(root) }
        var moved = 0
        // A deep tree is flattened (deep subdirectories are moved to the top) instead of held
        // open level by level; each pass removes what it can.
        for _ in 0..<1000 {
            if try clear(directory: root, root: root, depth: 0, moved: &moved) { break }
        }
        if rmdir(box) != 0 && errno != ENOENT { throw .system("rmdir \(box)", errno: errno) }
    }

    private static let maximumDepth = 32

    /// Empties `directory`; false when some subtrees were moved to the top and need another pass.
    private static func clear(directory: Int32, root: Int32, depth: Int, moved: inout Int) throws(SandboxError) -> Bool {
        var complete = true
        for name in FileSystem.entries(of: directory) {
            if unlinkat(directory, name, 0) == 0 || errno == ENOENT { continue }
            guard errno == EISDIR else { throw .system("unlink \(name) in a box", errno: errno) }
            if depth >= maximumDepth {
                moved += 1
                guard renameat(directory, name, root, ".removed-\(moved)") == 0 else {
                    throw .system("rename of a deep directory in a box", errno: errno)
                }
                complete = false
                continue
            }
            let child = try Posix.openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            let childComplete = try { () throws(SandboxError) -> Bool in
                defer { Posix.close(child) }
                return try clear(directory: child, root: root, depth: depth + 1, moved: &moved)
            }()
            complete = complete && childComplete
            if unlinkat(directory, name, AT_REMOVEDIR) != 0 && errno != ENOENT {
                throw .system("rmdir \(name) in a box", errno: errno)
            }
        }
        return complete
    }

    /// Opens `name` below `box`, every component with O_NOFOLLOW.
    private static func open(box: String, name: String, flags: Int32, mode: mode_t = 0) throws(SandboxError) -> Int32 {
        let components = name.split(separator: "/")
        guard !components.isEmpty, !components.contains(where: { $0 == ".." || $0 == "." }) else {
            throw .invalidRun("\"\(name)\" is not a plain relative path")
        }
        var directory = try Posix.open(box, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        for component in components.dropLast() {
            let next: Int32
            do {
                next = try Posix.openat(directory, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            } catch {
                Posix.close(directory)
                throw error
            }
            Posix.close(directory)
            directory = next
        }
        defer { Posix.close(directory) }
        return try Posix.openat(directory, String(components.last!), flags | O_NOFOLLOW, mode: mode)
    }
}
