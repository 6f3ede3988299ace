/// Reads a zip archive from memory through its central directory: stored and deflated entries,
/// no encryption, no zip64, no multi-disk archives.
///
/// Hostile archives are the normal case here: every offset and length is bounds-checked, entry
/// names that could escape a directory are refused, and sizes are limited twice — the declared
/// sizes before anything is inflated, and the real output while inflating (an entry that inflates
/// past its declared size stops there, so a lying header cannot become a zip bomb).
struct ZipReader {
    struct Limits {
        var maximumEntries: Int
        var maximumEntryBytes: Int
        var maximumTotalBytes: Int
    }

    struct Entry: Sendable {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let limits: Limits
    /// Files in central directory order (directories are left out).
    private(set) var entries: [Entry] = []

    init(_ bytes: [UInt8], limits: Limits) throws(ZipError) {
        self.bytes = bytes
        self.limits = limits
        try self.readCentralDirectory()
    }

    private mutating func readCentralDirectory() throws(ZipError) {
        // The end record is the last 22 bytes plus a comment of up to 65535 bytes.
        let minimumEnd = 22
        guard bytes.count >= minimumEnd else { throw .malformed(nil, "not a zip archive (too short)") }
        var end = -1
        var position = bytes.count - minimumEnd
        let lowest = max(0, bytes.count - minimumEnd - 0xFFFF)
        while position >= lowest {
            if u32(position) == 0x0605_4B50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw .malformed(nil, "not a zip archive (no end of central directory)") }
        let disk = u16(end + 4), directoryDisk = u16(end + 6)
        let entriesOnDisk = Int(u16(end + 8)), entryCount = Int(u16(end + 10))
        let directorySize = Int(u32(end + 12)), directoryOffset = Int(u32(end + 16))
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw .unsupported(nil, "multi-disk archives are not supported")
        }
        guard entryCount != 0xFFFF, directoryOffset != 0xFFFF_FFFF, directorySize != 0xFFFF_FFFF else {
            throw .unsupported(nil, "zip64 archives are not supported")
        }
        guard entryCount <= limits.maximumEntries else {
            throw .tooLarge(nil, "has \(entryCount) entries; at most \(limits.maximumEntries) are accepted")
        }
        guard directoryOffset + directorySize <= end else { throw .malformed(nil, "central directory lies outside the archive") }

        var cursor = directoryOffset
        var names: Set<String> = []
        var declaredTotal = 0
        for _ in 0..<entryCount {
            guard cursor + 46 <= end, u32(cursor) == 0x0201_4B50 else { throw .malformed(nil, "central directory entry is truncated") }
            let flags = u16(cursor + 8), method = u16(cursor + 10)
            let crc = u32(cursor + 16)
            let compressed = Int(u32(cursor + 20)), uncompressed = Int(u32(cursor + 24))
            let nameLength = Int(u16(cursor + 28)), extraLength = Int(u16(cursor + 30)), commentLength = Int(u16(cursor + 32))
            let localOffset = Int(u32(cursor + 42))
            let nameStart = cursor + 46
            guard nameStart + nameLength + extraLength + commentLength <= end else { throw .malformed(nil, "central directory entry is truncated") }
            guard let name = String(validating: bytes[nameStart..<nameStart + nameLength], as: UTF8.self) else {
                throw .malformed(nil, "an entry name is not UTF-8")
            }
            cursor = nameStart + nameLength + extraLength + commentLength

            try Self.checkName(name)
            guard names.insert(name).inserted else { throw .malformed(name, "appears twice in the archive") }
            if name.hasSuffix("/") { continue }
            // Bit 0: encrypted; bit 6: strong encryption; bit 13: encrypted central directory.
            guard flags & 0x2041 == 0 else { throw .unsupported(name, "is encrypted") }
            guard method == 0 || method == 8 else { throw .unsupported(name, "uses compression method \(method); only stored and deflate are supported") }
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else {
                throw .unsupported(name, "needs zip64")
            }
            guard uncompressed <= limits.maximumEntryBytes else {
                throw .tooLarge(name, "is \(uncompressed) bytes; the limit per file is \(limits.maximumEntryBytes)")
            }
            declaredTotal += uncompressed
            guard declaredTotal <= limits.maximumTotalBytes else {
                throw .tooLarge(name, "brings the test data past \(limits.maximumTotalBytes) bytes, the limit per version")
            }
            entries.append(Entry(
                name: name, method: method, crc32: crc, compressedSize: compressed,
                uncompressedSize: uncompressed, localHeaderOffset: localOffset
            ))
        }
    }

    /// Refuses names that could land outside the extraction directory on any system.
    static func checkName(_ name: String) throws(ZipError) {
        guard !name.isEmpty, name.utf8.count <= 255 else { throw .malformed(name, "has an empty or overlong name") }
        guard !name.hasPrefix("/"), !name.contains("\\"), !name.contains(":"), !name.utf8.contains(0) else {
            throw .malformed(name, "has an absolute or non-portable path")
        }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        for (index, component) in components.enumerated() {
            let isTrailingSlash = index == components.count - 1 && component.isEmpty && index > 0
            guard isTrailingSlash || (!component.isEmpty && component != "." && component != "..") else {
                throw .malformed(name, "has an empty, '.' or '..' path component")
            }
        }
    }

    /// The entry's bytes, inflated with the real output capped at the declared size, CRC-checked.
    func read(_ entry: Entry) throws(ZipError) -> [UInt8] {
        let local = entry.localHeaderOffset
        guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else { throw .malformed(entry.name, "has no local header") }
        let dataStart = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
        guard dataStart + entry.compressedSize <= bytes.count else { throw .malformed(entry.name, "runs past the end of the archive") }
        let data = bytes[dataStart..<dataStart + entry.compressedSize]
        let output: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else { throw .malformed(entry.name, "stored sizes disagree") }
            output = Array(data)
        } else {
            switch Inflater.inflateRaw(data, maximumOutput: entry.uncompressedSize) {
            case .success(let inflated): output = inflated
            case .failure(.exceedsLimit):
                throw .malformed(entry.name, "inflates past its declared \(entry.uncompressedSize) bytes (a zip bomb?)")
            case .failure(.corrupt(let reason)):
                throw .malformed(entry.name, "is corrupt: \(reason)")
            }
        }
        guard output.count == entry.uncompressedSize else { throw .malformed(entry.name, "is shorter than its declared size") }
        guard Inflater.crc32(output) == entry.crc32 else { throw .malformed(entry.name, "fails its CRC check") }
        return output
    }

    private func u16(_ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private func u32(_ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}

/// Why an archive was refused; `entry` names the file when one is to blame.
enum ZipError: Error, Equatable {
    case malformed(String?, String)
    case unsupported(String?, String)
    case tooLarge(String?, String)
}
