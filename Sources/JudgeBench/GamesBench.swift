import JudgeCore

#if canImport(Glibc)
import Glibc
#endif

/// `JudgeBench games [MATCHES]` (tools/bench-games.sh): the harness's round trip per move
/// (referee → harness → bot → harness → referee, each program in its sandbox) against a raw pipe
/// round trip between the same two programs unsandboxed; then Connect Four matches per second
/// between two C bots, two matches at a time.
enum GamesBench {
    static func run(matches: Int) async throws {
        try await BenchEngine.with("games-bench", slots: 6, languages: [DefaultLanguages.c]) { engine, root in
            try await Self.roundTrips(engine, root: root)
            try await Self.connectFour(engine, matches: matches)
        }
    }

    static func roundTrips(_ engine: JudgeEngine, root: String) async throws {
        let rounds = 20_000
        // The baseline: tools/bench-games/pipe-ping.c with the echo bot, no sandbox, no harness.
        guard system("gcc -O2 -o \(root)/echo-bot tools/bench-games/echo-bot.c && gcc -O2 -o \(root)/pipe-ping tools/bench-games/pipe-ping.c") == 0 else {
            throw EndToEndBench.BenchError("cannot compile tools/bench-games (run from the repository root)")
        }
        func rawRoundTrip() throws -> Int {
            guard let pipe = popen("\(root)/pipe-ping \(root)/echo-bot \(rounds)", "r") else { throw EndToEndBench.BenchError("popen") }
            defer { pclose(pipe) }
            var line = [CChar](repeating: 0, count: 64)
            guard fgets(&line, 64, pipe) != nil,
                  let value = Int(String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "\n").first ?? "")
            else {
                throw EndToEndBench.BenchError("pipe-ping printed nothing")
            }
            return value
        }
        let referee = ProgramSource(language: "c", source: try Self.source("tools/bench-games/ping-referee.c").replacingRounds(rounds))
        let echo = ProgramSource(language: "c", source: try Self.source("tools/bench-games/echo-bot.c"))
        // Alternated, so that a noisy phase of the machine hits both sides alike.
        var raw: [Int] = [], harness: [Int] = []
        for _ in 0..<5 {
            raw.append(try rawRoundTrip())
            let result = await engine.play(MatchRequest(
                referee: referee, bots: [echo, echo], seed: 1,
                limits: MatchLimits(initMilliseconds: 5000, turnMilliseconds: 1000, memoryMegabytes: 64, maxTurns: rounds + 200)
            ))
            guard result.outcome == .completed, let value = Int(String(decoding: result.refereeLog, as: UTF8.self)) else {
                throw EndToEndBench.BenchError("the ping match failed: \(result.outcome)")
            }
            harness.append(value)
        }
        let rawMedian = raw.sorted()[raw.count / 2], harnessMedian = harness.sorted()[harness.count / 2]
        let overhead = Double(harnessMedian - rawMedian) / Double(rawMedian)
        print("games: per-move round trip, \(rounds) rounds, median of 5 alternated runs")
        print("  raw pipe (referee <-> bot, no sandbox)        \(Self.microseconds(rawMedian))")
        print("  harness (referee -> harness -> bot and back)  \(Self.microseconds(harnessMedian))")
        print("  overhead \(Self.microseconds(harnessMedian - rawMedian)) = \(Double(Int(overhead * 100)) / 100) x the raw pipe — target <= 2 x: \(overhead <= 2 ? "MET" : "NOT MET")")
    }

    static func connectFour(_ engine: JudgeEngine, matches: Int) async throws {
        let connectFour = try Self.source("games/connect-four/referee.c")
        let smart = try Self.source("games/connect-four/bots/c/smart.c")
        let random = try Self.source("games/connect-four/bots/c/random.c")
        let request: @Sendable (UInt64) -> MatchRequest = { seed in
            MatchRequest(
                referee: ProgramSource(language: "c", source: connectFour),
                bots: seed % 2 == 0 ? [ProgramSource(language: "c", source: smart), ProgramSource(language: "c", source: random)]
                    : [ProgramSource(language: "c", source: random), ProgramSource(language: "c", source: smart)],
                seed: seed, limits: MatchLimits(initMilliseconds: 2000, turnMilliseconds: 200, memoryMegabytes: 64, maxTurns: 42)
            )
        }
        _ = await engine.play(request(0))  // compiles the three programs once
        let start = ContinuousClock.now
        var completed = 0
        await withTaskGroup(of: Bool.self) { group in
            for lane in 0..<2 {
                group.addTask {
                    var done = 0
                    for index in stride(from: lane, to: matches, by: 2) where await engine.play(request(UInt64(index + 1))).outcome == .completed {
                        done += 1
                    }
                    return done == (matches - lane + 1) / 2
                }
            }
            for await ok in group where ok { completed += 1 }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("games: Connect Four, C smart vs C random, \(matches) matches, 2 at a time")
        print("  \(Double(Int(Double(matches) / seconds * 10)) / 10) matches/s (\(EndToEndBench.milliseconds(elapsed)) in all)\(completed == 2 ? "" : "; SOME MATCHES FAILED")")
    }

    static func microseconds(_ nanoseconds: Int) -> String {
        "\(Double(nanoseconds / 100) / 10) µs"
    }

    static func source(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw EndToEndBench.BenchError("cannot read \(path) (run from the repository root)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// The ping referee's default round count, replaced: the run's arguments are the language's.
    func replacingRounds(_ rounds: Int) -> String {
        self.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.contains("int rounds =") ? "    int rounds = \(rounds);" : String(line)
        }.joined(separator: "\n")
    }
}
