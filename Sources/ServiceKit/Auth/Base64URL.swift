import CSodium

/// base64url without padding (RFC 4648 §5), as JWTs and refresh tokens use it.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let variant = Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        let length = sodium_base64_encoded_len(input.count, variant)
        var output = [CChar](repeating: 0, count: length)
        _ = input.withUnsafeBufferPointer { sodium_bin2base64(&output, length, $0.baseAddress, input.count, variant) }
        return String(decoding: output.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// nil when `text` is not valid base64url.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 3 / 4 + 3)
        var written = 0
        var end: UnsafePointer<CChar>?
        let status = input.withUnsafeBytes { raw in
            sodium_base642bin(
                &output, output.count, raw.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                nil, &written, &end, Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING)
            )
        }
        guard status == 0 else { return nil }
        return Array(output.prefix(written))
    }
}

/// Lowercase hex, for keys in configuration.
public enum Hex {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
