#if canImport(Glibc)
import Glibc
#endif

/// The few file operations the judge needs, without Foundation.
enum FileSystem {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create \(prefix): errno \(errno)")
            }
        }
    }

    static func list(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw Failure(description: "cannot list \(path): errno \(errno)") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The size of a regular file, not following links; nil for anything else.
    static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var written = 0
        try bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "write failed: errno \(errno)")
                }
                written += result
            }
        }
    }
}
