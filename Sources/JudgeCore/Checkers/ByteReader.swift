#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered bytes of a judge-owned file (or of an array, for tests): checkers stream outputs of
/// up to the output limit without holding them in memory.
struct ByteReader {
    private enum Source {
        case descriptor(Int32, path: String)
        case bytes
    }

    private let source: Source
    private var buffer: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.source = .bytes
        self.buffer = bytes
    }

    /// The caller closes the descriptor after the last read.
    init(descriptor: Int32, path: String) {
        self.source = .descriptor(descriptor, path: path)
        self.buffer = []
    }

    /// The next byte without consuming it; nil at the end.
    mutating func peek() throws -> UInt8? {
        if self.position < self.buffer.count { return self.buffer[self.position] }
        guard case .descriptor(let fd, let path) = self.source else { return nil }
        self.buffer = try FileSystem.readAll(fd, limit: 64 << 10, path: path)
        self.position = 0
        return self.buffer.first
    }

    mutating func next() throws -> UInt8? {
        guard let byte = try self.peek() else { return nil }
        self.position += 1
        return byte
    }
}

/// Opens a judge-owned file for a checker: a missing answer or output file is the judge's fault.
final class CheckedFile {
    let descriptor: Int32
    let path: String

    init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", path) }
        self.descriptor = fd
        self.path = path
    }

    deinit { close(self.descriptor) }

    func reader() -> ByteReader {
        lseek(self.descriptor, 0, SEEK_SET)
        return ByteReader(descriptor: self.descriptor, path: self.path)
    }
}
