import Glibc
import Testing

@testable import JudgeCore

/// Guess the number: the interactor (testlib style, `interactor input output`) answers <, > or =.
@Suite struct EngineInteractiveTests {
    static let interactor = ProgramSource(language: "c", source: """
        #include <stdio.h>
        int main(int argc, char **argv) {
            FILE *input = fopen(argv[1], "r"), *output = fopen(argv[2], "w");
            int secret;
            if (!input || !output || fscanf(input, "%d", &secret) != 1) { fprintf(stderr, "bad input\\n"); return 3; }
            for (int guesses = 1; guesses <= 30; guesses++) {
                int guess;
                if (scanf("%d", &guess) != 1) { fprintf(stderr, "wrong answer: no guess\\n"); return 1; }
                if (guess == secret) {
                    printf("=\\n");
                    fflush(stdout);
                    fprintf(output, "%d\\n", guesses);
                    fprintf(stderr, "ok guessed in %d\\n", guesses);
                    return 0;
                }
                printf(guess < secret ? "<\\n" : ">\\n");
                fflush(stdout);
            }
            fprintf(stderr, "wrong answer: too many guesses\\n");
            return 1;
        }
        """)

    static let binarySearch = """
        lo, hi = 1, 1000000
        while True:
            mid = (lo + hi) // 2
            print(mid, flush=True)
            reply = input().strip()
            if reply == '=':
                break
            if reply == '<':
                lo = mid + 1
            else:
                hi = mid - 1
        """

    static let linearSearch = """
        guess = 1
        while True:
            print(guess, flush=True)
            if input().strip() == '=':
                break
            guess += 1
        """

    func tests() throws -> [TestFile] {
        // The answer files are unused by the interactor but belong to every test.
        try TestData.make([("500000\n", "\n"), ("1\n", "\n"), ("777777\n", "\n")])
    }

    @Test func binarySearchIsAccepted() async throws {
        let result = try await EngineFixture.judge("python", Self.binarySearch, tests: try self.tests(), interactor: Self.interactor)
        #expect(result.verdict == .accepted, "\(result)")
        #expect(result.tests.map(\.verdict) == [.accepted, .accepted, .accepted])
        #expect(result.tests[0].checkerMessage.hasPrefix("ok guessed in"))
    }

    @Test func linearSearchIsWrong() async throws {
        // The solution dies of EOF after the interactor quits: the interactor's WA stands.
        let result = try await EngineFixture.judge("python", Self.linearSearch, tests: try self.tests(), interactor: Self.interactor)
        #expect(result.verdict == .wrongAnswer)
        #expect(result.tests[0].checkerMessage == "wrong answer: too many guesses")
    }

    @Test func aCrashingSolutionIsRE() async throws {
        let source = "#include <stdio.h>\nint main(void) { printf(\"1\\n\"); fflush(stdout); volatile int *p = 0; return *p; }"
        let result = try await EngineFixture.judge("c", source, tests: try self.tests(), interactor: Self.interactor)
        #expect(result.verdict == .runtimeError)
        #expect(result.tests[0].signal == SIGSEGV)
    }

    @Test func aSilentSolutionIsTLE() async throws {
        let result = try await EngineFixture.judge("python", "import time\ntime.sleep(60)\n", tests: try self.tests(), timeLimit: 300, interactor: Self.interactor)
        #expect(result.verdict == .timeLimitExceeded)
    }
}
