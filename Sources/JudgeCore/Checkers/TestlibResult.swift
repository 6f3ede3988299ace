#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a testlib checker or interactor means by how it ended:
/// exit 0 AC, 1 WA, 2 PE, 3 fail (the problem's fault: SE), 7 points; anything else (another code,
/// a signal, a limit) is a failure of the checker: SE, except SIGPIPE, which only an interactor
/// whose solution stopped reading can get: WA.
///
/// Points (exit 7): the first line of stderr (then stdout) of the form `points X …` gives X, else
/// the first number found in them. X is the fraction of the test's points earned, clamped to
/// 0...1; below 1 the test is WA with those points, at 1 it is AC.
enum TestlibResult {
    static func result(of outcome: SandboxOutcome, role: String) -> CheckerResult {
        let message = self.firstLine(outcome.stderr)
        if outcome.securityViolation || outcome.memoryLimitHit || outcome.cpuLimitHit || outcome.wallLimitHit {
            return .failed("\(role) exceeded its limits")
        }
        switch outcome.termination {
        case .signaled(SIGPIPE):
            // Only an interactor has a reader that can go away: the solution stopped listening.
            return .wrong("\(role): the solution stopped reading")
        case .signaled(let signal):
            return .failed("\(role) killed by signal \(signal)")
        case .exited(0):
            return .accepted(message)
        case .exited(1):
            return .wrong(message)
        case .exited(2):
            return .presentation(message)
        case .exited(3):
            return .failed("\(role) failed: \(message)")
        case .exited(7):
            guard let points = self.points(stderr: outcome.stderr, stdout: outcome.stdout) else {
                return .failed("\(role) exited 7 without points")
            }
            let fraction = min(max(points, 0), 1)
            return CheckerResult(verdict: fraction >= 1 ? .accepted : .wrongAnswer, message: message, fraction: fraction)
        case .exited(let code):
            return .failed("\(role) exited \(code): \(message)")
        }
    }

    static func firstLine(_ bytes: [UInt8]) -> String {
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        var text = CheckerText.truncated(line)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }

    static func points(stderr: [UInt8], stdout: [UInt8]) -> Double? {
        for stream in [stderr, stdout] {
            let words = self.firstLine(stream).split(whereSeparator: \.isWhitespace)
            if words.count >= 2, words[0].lowercased() == "points", let value = FloatChecker.number(Array(words[1].utf8)), value.isFinite {
                return value
            }
        }
        for stream in [stderr, stdout] {
            let words = String(decoding: stream.prefix(4096), as: UTF8.self).split(whereSeparator: \.isWhitespace)
            for word in words {
                if let value = FloatChecker.number(Array(word.utf8)), value.isFinite { return value }
            }
        }
        return nil
    }
}
