import CZlib

/// Writes zip archives for the tests, including ones a real archiver would never produce:
/// lying sizes, hostile names, encrypted flags.
struct ZipBuilder {
    struct Entry {
        var name: String
        var data: [UInt8]
        var deflate = true
        /// Overrides the uncompressed size written in both headers (a lying archive).
        var declaredSize: Int?
        var flags: UInt16 = 0
    }

    var entries: [Entry] = []

    mutating func add(_ name: String, _ text: String, deflate: Bool = true) {
        self.entries.append(Entry(name: name, data: Array(text.utf8), deflate: deflate))
    }

    mutating func add(_ entry: Entry) { self.entries.append(entry) }

    func build() -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for entry in self.entries {
            let payload = entry.deflate ? Self.rawDeflate(entry.data) : entry.data
            let crc = UInt32(truncatingIfNeeded: entry.data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
            let size = UInt32(entry.declaredSize ?? entry.data.count)
            let name = Array(entry.name.utf8)
            let offset = UInt32(out.count)
            var local: [UInt8] = []
            local.u32(0x0403_4B50); local.u16(20); local.u16(entry.flags); local.u16(entry.deflate ? 8 : 0)
            local.u16(0); local.u16(0); local.u32(crc); local.u32(UInt32(payload.count)); local.u32(size)
            local.u16(UInt16(name.count)); local.u16(0)
            out += local + name + payload
            directory.u32(0x0201_4B50); directory.u16(20); directory.u16(20); directory.u16(entry.flags); directory.u16(entry.deflate ? 8 : 0)
            directory.u16(0); directory.u16(0); directory.u32(crc); directory.u32(UInt32(payload.count)); directory.u32(size)
            directory.u16(UInt16(name.count)); directory.u16(0); directory.u16(0); directory.u16(0); directory.u16(0)
            directory.u32(0); directory.u32(offset)
            directory += name
        }
        let directoryOffset = UInt32(out.count)
        out += directory
        out.u32(0x0605_4B50); out.u16(0); out.u16(0); out.u16(UInt16(self.entries.count)); out.u16(UInt16(self.entries.count))
        out.u32(UInt32(directory.count)); out.u32(directoryOffset); out.u16(0)
        return out
    }

    static func rawDeflate(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }
}

extension [UInt8] {
    mutating func u16(_ value: UInt16) { self += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    mutating func u32(_ value: UInt32) {
        self += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}
