import Testing

@testable import JudgeCore

/// Problems with a `solution(...)` template: the hidden wrapper is compiled after the submission.
@Suite struct EngineWrapperTests {
    @Test func cppSolutionWithHiddenMain() async throws {
        let source = "#include <bits/stdc++.h>\nlong long solution(long long a, long long b) { return a + b; }\n"
        let wrapper = "int main() { long long a, b; std::cin >> a >> b; std::cout << solution(a, b) << std::endl; }"
        let result = try await EngineFixture.judge("cpp", source, wrapper: wrapper, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .accepted, "\(result)")
    }

    @Test func pythonSolutionWithHiddenMain() async throws {
        let source = "def solution(a, b):\n    return a + b\n"
        let wrapper = "a, b = map(int, input().split())\nprint(solution(a, b))"
        let result = try await EngineFixture.judge("python", source, wrapper: wrapper, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .accepted, "\(result)")
    }

    @Test func aSubmissionWithoutTheFunctionDoesNotCompile() async throws {
        let wrapper = "int main() { long long a, b; std::cin >> a >> b; std::cout << solution(a, b) << std::endl; }"
        let result = try await EngineFixture.judge("cpp", "#include <bits/stdc++.h>\n", wrapper: wrapper, tests: try TestData.make(TestData.aPlusB))
        #expect(result.verdict == .compilationError)
        #expect(result.compileOutput.contains("solution"))
    }
}
