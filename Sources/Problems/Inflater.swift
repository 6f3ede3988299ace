import CZlib

/// Raw deflate (zip's method 8) through zlib, with a hard cap on the output.
enum Inflater {
    enum Failure: Error {
        /// More than `maximumOutput` bytes would come out.
        case exceedsLimit
        case corrupt(String)
    }

    static func inflateRaw(_ input: ArraySlice<UInt8>, maximumOutput: Int) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, no zlib header (as zip stores it).
        guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(.corrupt("zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        // One byte of room past the cap tells "exactly at the cap" from "past it".
        var output = [UInt8](repeating: 0, count: min(maximumOutput + 1, max(64 << 10, input.count * 4)))
        var produced = 0
        return input.withUnsafeBufferPointer { source -> Result<[UInt8], Failure> in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count {
                    guard output.count <= maximumOutput else { return .failure(.exceedsLimit) }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, maximumOutput + 1 - output.count)))
                }
                let status = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress! + produced
                    stream.avail_out = UInt32(buffer.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced = buffer.count - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    guard produced <= maximumOutput else { return .failure(.exceedsLimit) }
                    output.removeSubrange(produced...)
                    return .success(output)
                case Z_OK:
                    if stream.avail_in == 0 && produced < output.count { return .failure(.corrupt("the deflate stream ends early")) }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { return .failure(.corrupt("the deflate stream ends early")) }
                default:
                    return .failure(.corrupt(stream.msg.map { String(cString: $0) } ?? "inflate error \(status)"))
                }
            }
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt = CZlib.crc32(0, nil, 0)
        var offset = 0
        bytes.withUnsafeBufferPointer { buffer in
            // zlib takes a 32-bit length: feed large files in slices.
            while offset < buffer.count {
                let length = min(buffer.count - offset, 1 << 30)
                crc = CZlib.crc32(crc, buffer.baseAddress! + offset, UInt32(length))
                offset += length
            }
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
