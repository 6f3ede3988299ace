import JudgeCore
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Matches on the real sandbox: a referee and bots, each in its own slot, the harness between.
@Suite("Matches in the real sandbox", .serialized)
struct MatchInSandboxTests {
    static let limits = MatchLimits(initMilliseconds: 2000, turnMilliseconds: 300, memoryMegabytes: 64, maxTurns: 100)

    @Test func wellBehavedBotsInTwoLanguagesFinishTied() async throws {
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: CountingGame.referee, bots: [CountingGame.cBot, CountingGame.pythonBot], seed: 42, limits: Self.limits))
            #expect(result.outcome == .completed, "\(result.outcome)")
            #expect(result.players.map(\.rank) == [1, 1] && result.players.map(\.score) == [3, 3])
            #expect(result.players.allSatisfy { $0.status == .ok })
            #expect(result.turns == 6)
            #expect(result.frames.map { String(decoding: $0, as: UTF8.self) }.first == "start 42")
            #expect(result.frames.count == 4)
            #expect(String(decoding: result.refereeLog, as: UTF8.self) == "scores [3, 3]")
        }
    }

    @Test func theSameSeedPlaysTheSameMatch() async throws {
        try await withMatchEngine { engine in
            let request = MatchRequest(referee: CountingGame.referee, bots: [CountingGame.cBot, CountingGame.cBot], seed: 7_777, limits: Self.limits)
            let first = await engine.play(request)
            let second = await engine.play(request)
            #expect(first.outcome == .completed)
            #expect(first.frames == second.frames && first.refereeLog == second.refereeLog)
            #expect(first.players.map(\.rank) == second.players.map(\.rank) && first.players.map(\.score) == second.players.map(\.score))
            #expect(first.frames.first.map { String(decoding: $0, as: UTF8.self) } == "start 777")
        }
    }

    /// Each misbehaving bot loses with its reason, ranked below the good one; the match ends.
    @Test(arguments: [
        ("crash", CountingGame.crashing, "crash"),
        ("spin", CountingGame.spinning, "timeout"),
        ("sleep", CountingGame.sleeping, "timeout"),
        ("garbage", CountingGame.garbage, "kicked"),
        ("hog", CountingGame.hog, "crash"),
        ("chatty", CountingGame.chatty, "overflow"),
        ("broken", CountingGame.broken, "compilation_error"),
    ])
    func aMisbehavingBotLosesAndTheMatchEnds(_ name: String, _ bad: ProgramSource, _ status: String) async throws {
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: CountingGame.referee, bots: [bad, CountingGame.cBot], seed: 1, limits: Self.limits))
            #expect(result.outcome == .completed, "\(name): \(result.outcome)")
            guard result.players.count == 2 else { return }
            #expect(result.players[0].status.name == status, "\(name): \(result.players[0].status)")
            #expect(result.players[0].rank == 2 && result.players[1].rank == 1, "\(name)")
            #expect(result.players[1].status == .ok && result.players[1].score == 3)
            switch (name, result.players[0].status) {
            case ("crash", .crash(let reason)): #expect(reason == "killed by signal 11")
            case ("hog", .crash(let reason)): #expect(reason == "memory limit exceeded")
            case ("garbage", .kicked(let reason)): #expect(reason == "expected 2")
            case ("broken", _): #expect(!result.players[0].log.isEmpty, "the compiler's diagnostics are the bot's log")
            default: break
            }
        }
    }

    /// Commands written in one go and the referee gone at once: all of them count, END included.
    @Test func aRefereeThatWritesEverythingAndLeavesCompletes() async throws {
        let hasty = ProgramSource(language: "python", source: "import sys\nsys.stdin.readline()\nsys.stdout.write('SEND 1 2\\n5\\nFRAME 2\\nhiEND 2 0 1 1\\n')\n")
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: hasty, bots: [CountingGame.cBot, CountingGame.cBot], seed: 1, limits: Self.limits))
            #expect(result.outcome == .completed, "\(result.outcome)")
            #expect(result.players.map(\.rank) == [2, 1] && result.frames == [Array("hi".utf8)])
        }
    }

    @Test func aRefereeThatCrashesFailsTheMatch() async throws {
        let crashing = ProgramSource(language: "python", source: "import sys\nsys.stdin.readline()\nsys.stdout.write('RECV 1\\n')\nsys.stdout.flush()\nsys.stdin.readline()\nraise SystemExit(3)\n")
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: crashing, bots: [CountingGame.cBot, CountingGame.cBot], seed: 1, limits: Self.limits))
            #expect(result.outcome == .refereeFailed("the referee stopped before END"), "\(result.outcome)")
            #expect(result.players.isEmpty)
        }
    }

    @Test(arguments: [
        ("END 1 1\n", "END needs a rank and a score for each of the 2 players"),
        ("RECV 3\n", "no player 3 in a match of 2"),
        ("DANCE\n", "unknown command DANCE"),
    ])
    func aRefereeThatBreaksTheProtocolFailsTheMatch(_ command: String, _ message: String) async throws {
        let referee = ProgramSource(language: "python", source: "import sys\nsys.stdin.readline()\nsys.stdout.write(\(Self.pythonString(command)))\nsys.stdout.flush()\nsys.stdin.readline()\n")
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: referee, bots: [CountingGame.cBot, CountingGame.cBot], seed: 1, limits: Self.limits))
            guard case .refereeFailed(let reason) = result.outcome else {
                Issue.record("\(command): \(result.outcome)")
                return
            }
            #expect(reason.hasPrefix(message), "\(reason)")
        }
    }

    @Test func tooManyTurnsFailTheMatch() async throws {
        var limits = Self.limits
        limits.maxTurns = 4
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: CountingGame.referee, bots: [CountingGame.cBot, CountingGame.cBot], seed: 1, limits: limits))
            #expect(result.outcome == .refereeFailed("more than the game's 4 turns"))
        }
    }

    static func pythonString(_ text: String) -> String {
        "'" + text.map { $0 == "\n" ? "\\n" : String($0) }.joined() + "'"
    }
}

func withMatchEngine(slots: Int = 3, _ body: (JudgeEngine) async throws -> Void) async throws {
    var template = Array("/tmp/match-in-sandbox.XXXXXX".utf8CString)
    let root = String(cString: try #require(mkdtemp(&template)))
    chmod(root, 0o755)
    let sandbox = try BubblewrapSandbox.start(SandboxConfiguration(
        slots: slots, uidBase: 61_100, gidBase: 61_100, cgroupParent: "algosports-test/match-\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
        workRoot: root + "/sandbox"
    ))
    do {
        let engine = try await JudgeEngine(
            configuration: JudgeEngineConfiguration(cacheDirectory: root + "/cache", workDirectory: root + "/work", languages: [DefaultLanguages.c, DefaultLanguages.python]),
            sandbox: sandbox, logger: Logger(label: "match-in-sandbox")
        )
        try await body(engine)
    } catch {
        await sandbox.shutdown()
        throw error
    }
    await sandbox.shutdown()
}
