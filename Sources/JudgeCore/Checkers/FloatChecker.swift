/// Tokens; where the answer's token is a number, the output's must be a number within the
/// absolute OR the relative tolerance (testlib's doubleCompare). NaN matches only NaN and an
/// infinity only the same infinity; other tokens compare exactly.
struct FloatChecker {
    var absoluteTolerance: Double
    var relativeTolerance: Double

    func check(output: ByteReader, answer: ByteReader) throws -> CheckerResult {
        let tokens = TokensChecker(compare: self.matches, describe: { CheckerText.truncated($0, limit: 64) })
        return try tokens.check(output: output, answer: answer)
    }

    func matches(_ expected: [UInt8], _ found: [UInt8]) -> Bool {
        guard let e = Self.number(expected) else { return expected == found }
        guard let f = Self.number(found) else { return false }
        if e.isNaN || f.isNaN { return e.isNaN && f.isNaN }
        if e.isInfinite || f.isInfinite { return e == f }
        // The 1e-15 absorbs the rounding of the subtraction itself, as testlib does.
        let difference = abs(e - f)
        return difference <= self.absoluteTolerance + 1e-15 || difference <= self.relativeTolerance * abs(e) + 1e-15
    }

    /// A decimal number (`-1`, `2.5`, `.5`, `1e-9`), `nan` or `inf`/`infinity` with a sign;
    /// nil for anything else (hex floats and `1_000` are not numbers here).
    static func number(_ token: [UInt8]) -> Double? {
        guard !token.isEmpty, token.count <= 400 else { return nil }
        let text = String(decoding: token, as: UTF8.self)
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        switch body.lowercased() {
        case "nan": return .nan
        case "inf", "infinity": return text.hasPrefix("-") ? -.infinity : .infinity
        default: break
        }
        var digits = 0
        var index = body.startIndex
        func skipDigits() {
            while index < body.endIndex, body[index].isASCII, body[index].isNumber {
                digits += 1
                index = body.index(after: index)
            }
        }
        skipDigits()
        if index < body.endIndex, body[index] == "." {
            index = body.index(after: index)
            skipDigits()
        }
        guard digits > 0 else { return nil }
        if index < body.endIndex, body[index] == "e" || body[index] == "E" {
            index = body.index(after: index)
            if index < body.endIndex, body[index] == "+" || body[index] == "-" { index = body.index(after: index) }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        guard index == body.endIndex else { return nil }
        return Double(text)
    }
}
