import JudgeCore

/// A tiny game for the harness's tests: each turn every bot still in is sent a number and must
/// answer it plus one; a wrong answer is kicked. The referee ranks by correct answers.
enum CountingGame {
    static let referee = ProgramSource(language: "python", source: """
        import sys
        inp, out = sys.stdin.buffer, sys.stdout.buffer
        _, players, seed = inp.readline().split()
        n, seed = int(players), int(seed)
        alive, score = [True] * n, [0] * n
        def frame(text):
            data = text.encode()
            out.write(b"FRAME %d\\n" % len(data) + data)
        frame("start %d" % (seed % 1000))
        for turn in range(3):
            for p in range(n):
                if not alive[p]:
                    continue
                ask = b"%d\\n" % (seed % 1000 + turn)
                out.write(b"SEND %d %d\\n" % (p + 1, len(ask)) + ask + b"RECV %d\\n" % (p + 1))
                out.flush()
                reply = inp.readline().split()
                if reply[0] == b"OK":
                    line = inp.read(int(reply[1]))
                    if line.strip() == b"%d" % (seed % 1000 + turn + 1):
                        score[p] += 1
                    else:
                        out.write(b"KICK %d expected %d\\n" % (p + 1, seed % 1000 + turn + 1))
                        alive[p] = False
                else:
                    alive[p] = False
            frame("turn %d %s" % (turn, score))
        log = b"scores %s" % str(score).encode()
        out.write(b"LOG %d\\n" % len(log) + log)
        ranks = [1 + sum(1 for other in score if other > mine) for mine in score]
        out.write(b"END " + b" ".join(b"%d %d" % (r, s) for r, s in zip(ranks, score)) + b"\\n")
        out.flush()
        """)

    static let cBot = ProgramSource(language: "c", source: """
        #include <stdio.h>
        int main(void) { long long x; while (scanf("%lld", &x) == 1) { printf("%lld\\n", x + 1); fflush(stdout); } return 0; }
        """)

    static let pythonBot = ProgramSource(language: "python", source: """
        import sys
        for line in sys.stdin:
            print(int(line) + 1, flush=True)
        """)

    static func bot(_ body: String) -> ProgramSource {
        ProgramSource(language: "c", source: "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void) { \(body) }")
    }

    static let crashing = bot("long long x; scanf(\"%lld\", &x); volatile int *p = 0; *p = 1; return 0;")
    static let spinning = bot("long long x; scanf(\"%lld\", &x); for (volatile unsigned long i = 0;; i++) {} return 0;")
    static let sleeping = bot("long long x; scanf(\"%lld\", &x); sleep(1000); return 0;")
    static let garbage = bot("long long x; scanf(\"%lld\", &x); puts(\"banana\"); fflush(stdout); sleep(1000); return 0;")
    static let hog = bot("long long x; scanf(\"%lld\", &x); for (int i = 0; i < 64; i++) { char *p = malloc(16 << 20); if (!p) return 3; memset(p, 1, 16 << 20); } return 0;")
    static let chatty = bot("long long x; scanf(\"%lld\", &x); for (int i = 0; i < 200000; i++) putchar('x'); fflush(stdout); sleep(1000); return 0;")
    static let broken = ProgramSource(language: "c", source: "int main(void) { this is not C }")
}
