import Testing

@testable import JudgeCore

/// A+B in every language through the whole engine with real compilers and interpreters.
@Suite struct EngineLanguageTests {
    static let aPlusB: [String: String] = [
        "c": """
        #include <stdio.h>
        int main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }
        """,
        "cpp": """
        #include <bits/stdc++.h>
        int main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }
        """,
        "python": """
        a, b = map(int, input().split())
        print(a + b)
        """,
        "javascript": """
        const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);
        console.log((a + b).toString());
        """,
        "java": """
        import java.util.*;
        public class Main {
            public static void main(String[] args) {
                Scanner in = new Scanner(System.in);
                long a = in.nextLong(), b = in.nextLong();
                System.out.println(a + b);
            }
        }
        """,
    ]

    /// Each language's syntax error and a fragment of what its compiler says about it.
    static let syntaxErrors: [String: (source: String, message: String)] = [
        "c": ("int main(void) { return 0 }", "error: expected"),
        "cpp": ("int main() { return undeclared_name; }", "undeclared_name"),
        "python": ("print(1 +\n", "SyntaxError"),
        "javascript": ("function broken( {\n", "SyntaxError"),
        "java": ("public class Main { public static void main(String[] a) { int x = ; } }", "error:"),
    ]

    @Test(arguments: ["c", "cpp", "python", "javascript", "java"])
    func aPlusBIsAccepted(language: String) async throws {
        let tests = try TestData.make(TestData.aPlusB)
        let request = JudgeRequest(language: language, source: Self.aPlusB[language]!, timeLimitMilliseconds: 5000, memoryLimitMegabytes: 256, tests: tests)
        let (result, progress) = try await EngineFixture.judge(request)
        #expect(result.verdict == .accepted, "\(result)")
        #expect(result.tests.map(\.verdict) == [.accepted, .accepted, .accepted])
        #expect(result.score == 1 && result.maxScore == 1)
        #expect(progress == [.compiling, .running(test: 1, of: 3), .running(test: 2, of: 3), .running(test: 3, of: 3)])
        #expect(result.tests.allSatisfy { $0.wallTimeMilliseconds > 0 && $0.memoryKilobytes > 0 })
    }

    @Test(arguments: ["c", "cpp", "python", "javascript", "java"])
    func syntaxErrorIsACompilationErrorWithTheCompilersMessage(language: String) async throws {
        let (source, message) = Self.syntaxErrors[language]!
        let result = try await EngineFixture.judge(language, source, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .compilationError)
        #expect(result.compileOutput.contains(message), "\(result.compileOutput)")
        #expect(result.compileOutput.utf8.count <= Compiler.diagnosticsLimit + 32)
        #expect(result.tests.isEmpty)
    }

    @Test func floodsOfDiagnosticsAreTruncated() async throws {
        let source = "int main(void) {\n" + String(repeating: "    int x = ;\n", count: 3000) + "}\n"
        let result = try await EngineFixture.judge("c", source, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .compilationError)
        #expect(result.compileOutput.hasSuffix("… (truncated)\n"))
        #expect(result.compileOutput.utf8.count <= Compiler.diagnosticsLimit + 32)
    }

    @Test func wrongAnswerStopsAtTheFirstFailure() async throws {
        let result = try await EngineFixture.judge("python", "a, b = map(int, input().split())\nprint(a - b)\n", tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .wrongAnswer)
        #expect(result.tests.map(\.verdict) == [.wrongAnswer, .skipped, .skipped])
        #expect(result.tests[0].checkerMessage == "line 1: expected '5', found '-1'")
        #expect(result.score == 0)
    }

    @Test func unknownLanguageIsASystemError() async throws {
        let result = try await EngineFixture.judge("cobol", "DISPLAY 'HI'.", tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .systemError)
    }

    @Test func aRequestWithoutTestsOrLimitsIsASystemError() async throws {
        let none = try await EngineFixture.judge("python", "print(1)\n", tests: [])
        #expect(none.verdict == .systemError)
        let request = JudgeRequest(language: "python", source: "print(1)\n", timeLimitMilliseconds: 0, memoryLimitMegabytes: 256, tests: try TestData.make(TestData.aPlusB))
        #expect(try await EngineFixture.judge(request).0.verdict == .systemError)
    }

    @Test func languagesCarryProbedVersions() async throws {
        let languages = try await EngineFixture.engine().languages
        #expect(languages.map(\.id) == ["c", "cpp", "python", "javascript", "java"])
        #expect(languages.first { $0.id == "c" }?.version.contains("gcc") == true)
        #expect(languages.first { $0.id == "python" }?.version.hasPrefix("Python 3") == true)
        #expect(languages.first { $0.id == "java" }?.version.contains("17") == true)
        #expect(languages.first { $0.id == "javascript" }?.version.hasPrefix("v") == true)
        #expect(languages.first { $0.id == "cpp" }?.compileCommand.contains("-std=c++17") == true)
    }
}
