/// Line by line after normalising `\r\n` and trailing whitespace (of lines and of the file).
/// When lines differ but the tokens are the same, only the layout is wrong: PE.
struct ExactChecker {
    /// Reads each file twice at most (lines, then tokens when they differ), never whole.
    func check(output: () -> ByteReader, answer: () -> ByteReader) throws -> CheckerResult {
        var outputLines = LineReader(output())
        var answerLines = LineReader(answer())
        var line = 0
        while true {
            line += 1
            let expected = try answerLines.next()
            let found = try outputLines.next()
            if expected == nil && found == nil { return .accepted("\(line - 1) lines") }
            if expected == found { continue }
            // Only blank lines left on one side still matches ("trailing whitespace of the file").
            if expected == nil, found == [], try Self.onlyBlankLines(&outputLines) { return .accepted("\(line - 1) lines") }
            if found == nil, expected == [], try Self.onlyBlankLines(&answerLines) { return .accepted("\(line - 1) lines") }
            let tokens = try TokensChecker().check(output: output(), answer: answer())
            guard tokens.verdict == .accepted else { return tokens }
            return .presentation("line \(line): expected \(Self.describe(expected)), found \(Self.describe(found))")
        }
    }

    private static func onlyBlankLines(_ lines: inout LineReader) throws -> Bool {
        while let line = try lines.next() {
            if !line.isEmpty { return false }
        }
        return true
    }

    private static func describe(_ line: [UInt8]?) -> String {
        line.map(CheckerText.quoted) ?? "end of output"
    }
}
