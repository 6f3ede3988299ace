/// Program texts of the demo problems: templates, hidden wrappers and the interactor.
/// The judge appends a wrapper after the submission, so a wrapper declares what it calls.
enum DemoProblemSources {
    static let aPlusBCppTemplate = """
        #include <bits/stdc++.h>
        using namespace std;

        long long solution(long long a, long long b) {
            // Return the sum of a and b.
            return 0;
        }

        """

    static let aPlusBCppWrapper = """

        #include <iostream>
        long long solution(long long a, long long b);

        int main() {
            long long a, b;
            std::cin >> a >> b;
            std::cout << solution(a, b) << std::endl;
            return 0;
        }

        """

    static let aPlusBPythonTemplate = """
        def solution(a: int, b: int) -> int:
            # Return the sum of a and b.
            return 0

        """

    static let aPlusBPythonWrapper = """


        if __name__ == "__main__":
            import sys
            _a, _b = map(int, sys.stdin.read().split())
            print(solution(_a, _b))

        """

    /// testlib's interactor protocol without testlib.h: `interactor <input> [<output>]`, the
    /// solution's output on stdin, the solution's input on stdout; exit 0 accepted, 1 wrong
    /// answer, 3 a broken test (the judge's fault, never the contestant's).
    static let guessInteractor = """
        #include <stdarg.h>
        #include <stdio.h>

        #define MAX_GUESSES 30

        /* The verdict goes to the output file when the judge names one, and to stderr. */
        static int finish(int argc, char **argv, int code, const char *format, ...) {
            char message[256];
            va_list args;
            va_start(args, format);
            vsnprintf(message, sizeof message, format, args);
            va_end(args);
            if (argc > 2) {
                FILE *out = fopen(argv[2], "w");
                if (out) { fprintf(out, "%s\\n", message); fclose(out); }
            }
            fprintf(stderr, "%s\\n", message);
            return code;
        }

        int main(int argc, char **argv) {
            long long secret;
            FILE *in = argc > 1 ? fopen(argv[1], "r") : NULL;
            if (!in || fscanf(in, "%lld", &secret) != 1) return finish(argc, argv, 3, "cannot read the secret from the test input");
            fclose(in);
            for (int guesses = 1; guesses <= MAX_GUESSES; guesses++) {
                long long guess;
                if (scanf("%lld", &guess) != 1) return finish(argc, argv, 1, "expected guess %d, got something else", guesses);
                if (guess == secret) {
                    printf("=\\n");
                    fflush(stdout);
                    return finish(argc, argv, 0, "guessed %lld in %d guesses", secret, guesses);
                }
                printf(guess > secret ? "<\\n" : ">\\n");
                fflush(stdout);
            }
            return finish(argc, argv, 1, "not guessed within %d guesses", MAX_GUESSES);
        }

        """
}
