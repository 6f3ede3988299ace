import JudgeCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The games in games/ played by the judge itself: referees and bots in C and Python, each in its
/// own sandbox slot.
@Suite("Shipped games in the real sandbox", .serialized)
struct ShippedGamesTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/games"
    }()

    static func program(_ relative: String) throws -> ProgramSource {
        let path = Self.root + "/" + relative
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0, "cannot open \(path)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return ProgramSource(language: relative.hasSuffix(".py") ? "python" : "c", source: String(decoding: bytes, as: UTF8.self))
    }

    static let connectFour = MatchLimits(initMilliseconds: 2000, turnMilliseconds: 200, memoryMegabytes: 64, maxTurns: 42)

    @Test func connectFourSmartInCBeatsRandomInPythonFromEitherSeat() async throws {
        let referee = try Self.program("connect-four/referee.c")
        let smart = try Self.program("connect-four/bots/c/smart.c")
        let random = try Self.program("connect-four/bots/python/random.py")
        try await withMatchEngine { engine in
            for (seed, bots, smartIndex) in [(UInt64(11), [smart, random], 0), (12, [random, smart], 1)] {
                let result = await engine.play(MatchRequest(referee: referee, bots: bots, seed: seed, limits: Self.connectFour))
                #expect(result.outcome == .completed, "\(result.outcome)")
                guard result.players.count == 2 else { continue }
                #expect(result.players[smartIndex].rank == 1 && result.players[smartIndex].score == 1, "\(result.players)")
                #expect(result.players.allSatisfy { $0.status == .ok })
                #expect(result.frames.count == result.turns + 1, "a frame per move and the empty board")
            }
        }
    }

    @Test func lightCyclesForFourPlayersInTwoLanguagesEndsWithValidRanks() async throws {
        let referee = try Self.program("light-cycles/referee.c")
        let bots = try ["c/smart.c", "python/smart.py", "c/random.c", "python/random.py"].map { try Self.program("light-cycles/bots/" + $0) }
        let limits = MatchLimits(initMilliseconds: 2000, turnMilliseconds: 200, memoryMegabytes: 64, maxTurns: 1600)
        try await withMatchEngine(slots: 5) { engine in
            let result = await engine.play(MatchRequest(referee: referee, bots: bots, seed: 2026, limits: limits))
            #expect(result.outcome == .completed, "\(result.outcome)")
            guard result.players.count == 4 else { return }
            #expect(result.players.allSatisfy { $0.status == .ok }, "\(result.players.map(\.status))")
            #expect(result.players.map(\.rank).min() == 1 && result.players.allSatisfy { (1...4).contains($0.rank) })
            #expect(result.turns > 4 && !result.frames.isEmpty)
        }
    }

    /// The shipped misbehaving programs against Connect Four's referee and its smart bot.
    @Test(arguments: [("crash.c", "crash"), ("hang.c", "timeout"), ("sleeper.py", "timeout"), ("garbage.py", "kicked"), ("hog.c", "crash"), ("chatty.c", "overflow")])
    func misbehavingBotsLoseConnectFour(_ file: String, _ status: String) async throws {
        let referee = try Self.program("connect-four/referee.c")
        let bad = try Self.program("testing/" + file)
        let smart = try Self.program("connect-four/bots/c/smart.c")
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: referee, bots: [bad, smart], seed: 5, limits: Self.connectFour))
            #expect(result.outcome == .completed, "\(file): \(result.outcome)")
            guard result.players.count == 2 else { return }
            #expect(result.players[0].status.name == status, "\(file): \(result.players[0].status)")
            #expect(result.players[0].rank == 2 && result.players[1].rank == 1)
        }
    }

    @Test(arguments: ["referee-crash.c", "referee-bad-end.c"])
    func aBrokenRefereeIsASystemErrorNotAResult(_ file: String) async throws {
        let referee = try Self.program("testing/" + file)
        let smart = try Self.program("connect-four/bots/c/smart.c")
        try await withMatchEngine { engine in
            let result = await engine.play(MatchRequest(referee: referee, bots: [smart, smart], seed: 3, limits: Self.connectFour))
            guard case .refereeFailed = result.outcome else {
                Issue.record("\(file): \(result.outcome)")
                return
            }
            #expect(result.players.isEmpty)
        }
    }
}
