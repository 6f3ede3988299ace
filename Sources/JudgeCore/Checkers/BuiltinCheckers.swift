/// Runs a built-in checker on judge-owned files. Blocking: callers use a thread pool.
enum BuiltinCheckers {
    static func check(_ spec: CheckerSpec, outputPath: String, answerPath: String) throws -> CheckerResult {
        let output = try CheckedFile(outputPath)
        let answer = try CheckedFile(answerPath)
        switch spec {
        case .exact:
            return try ExactChecker().check(output: { output.reader() }, answer: { answer.reader() })
        case .tokens:
            return try TokensChecker().check(output: output.reader(), answer: answer.reader())
        case .float(let absoluteTolerance, let relativeTolerance):
            return try FloatChecker(absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance)
                .check(output: output.reader(), answer: answer.reader())
        case .custom:
            return .failed("a custom checker is not built in")
        }
    }
}
