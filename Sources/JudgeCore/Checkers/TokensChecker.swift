/// Whitespace-separated tokens compared one by one; `compare` decides whether two tokens match
/// (byte equality, or numbers within a tolerance).
struct TokensChecker {
    var compare: ([UInt8], [UInt8]) -> Bool = { $0 == $1 }
    /// Shows expected and found tokens (floats print them as numbers).
    var describe: ([UInt8]) -> String = CheckerText.quoted

    func check(output: ByteReader, answer: ByteReader) throws -> CheckerResult {
        var output = TokenReader(output)
        var answer = TokenReader(answer)
        var count = 0
        while true {
            let expected = try answer.next()
            let found = try output.next()
            switch (expected, found) {
            case (nil, nil):
                return .accepted("\(count) tokens")
            case (let expected?, nil):
                return .wrong("line \(expected.line): expected \(self.describe(expected.token)), found end of output")
            case (nil, let found?):
                return .wrong("line \(found.line): expected end of output, found \(self.describe(found.token))")
            case (let expected?, let found?):
                count += 1
                if !self.compare(expected.token, found.token) {
                    return .wrong("line \(found.line): expected \(self.describe(expected.token)), found \(self.describe(found.token))")
                }
            }
        }
    }
}
