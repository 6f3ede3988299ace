#if canImport(Glibc)
import Glibc
#endif
import NIOPosix

extension JudgeEngine {
    /// Plays one match: compiles the referee and the bots (cached like submissions), runs each in
    /// its own sandbox slot with the harness between them, and ranks the bots. Never throws: the
    /// judge's failures and the referee's come back as `.refereeFailed` (retry, never rate).
    public func play(_ request: MatchRequest) async -> MatchResult {
        guard request.bots.count >= 2 else { return Self.failed("a match needs at least 2 bots, not \(request.bots.count)") }
        let workspace: Workspace
        do {
            let parent = self.configuration.workDirectory
            workspace = try await blocking { try Workspace(parent: parent) }
        } catch {
            self.logger.error("cannot create a match workspace", metadata: ["error": "\(error)"])
            return Self.failed("the judge cannot create a workspace")
        }
        var pinned: [CompileCache.Entry] = []
        let result = await self.play(request, workspace: workspace, pinned: &pinned)
        for entry in pinned { self.cache.release(entry) }
        try? await blocking { workspace.remove() }
        return result
    }

    private func play(_ request: MatchRequest, workspace: Workspace, pinned: inout [CompileCache.Entry]) async -> MatchResult {
        let referee: Program
        var bots: [Program?] = []
        var compileErrors: [Int: String] = [:]
        do {
            switch try await self.compile(request.referee.language, source: request.referee.source, workspace: workspace) {
            case .compiled(let program, _):
                pinned.append(program.entry)
                referee = program
            case .failed(let diagnostics):
                return Self.failed("the referee does not compile: \(diagnostics.prefix(512))")
            case .unknownLanguage:
                return Self.failed("the referee's language \(request.referee.language) is not available")
            }
            for (index, bot) in request.bots.enumerated() {
                switch try await self.compile(bot.language, source: bot.source, workspace: workspace) {
                case .compiled(let program, _):
                    pinned.append(program.entry)
                    bots.append(program)
                case .failed(let diagnostics):
                    bots.append(nil)
                    compileErrors[index] = diagnostics
                case .unknownLanguage:
                    bots.append(nil)
                    compileErrors[index] = "the language \(bot.language) is not available"
                }
            }
        } catch {
            self.logger.error("match compilation failed", metadata: ["error": "\(error)"])
            return Self.failed("the judge failed to compile the match's programs")
        }

        let limits = request.limits
        var members: [GroupMember] = []
        var harnessEnds: [(input: Int32, output: Int32)] = []
        func closeEverything() {
            for end in harnessEnds { close(end.input); close(end.output) }
            for member in members { close(member.stdin); close(member.stdout) }
        }
        do {
            let refereeRun = SandboxRun(
                arguments: referee.language.runArguments(memoryMegabytes: limits.refereeMemoryMegabytes),
                environment: referee.language.environment, boxDirectory: try workspace.makeBox("referee"),
                readOnlyBinds: referee.readOnlyBinds, stderr: .capture,
                limits: SandboxLimits(
                    cpuMilliseconds: limits.refereeCPUMilliseconds, wallMilliseconds: limits.matchWallMilliseconds + 5000,
                    memoryBytes: (limits.refereeMemoryMegabytes + referee.language.runMemoryOverheadMegabytes) << 20,
                    processes: referee.language.processes, outputBytes: 1 << 20
                )
            )
            try self.addMember(refereeRun, to: &members, harnessEnds: &harnessEnds)
            for (index, bot) in bots.enumerated() {
                guard let bot else { continue }
                var environment = bot.language.environment
                environment["ALGOSPORTS_PLAYER"] = String(index + 1)
                environment["ALGOSPORTS_SEED"] = String(Self.playerSeed(request.seed, player: index + 1))
                let run = SandboxRun(
                    arguments: bot.language.runArguments(memoryMegabytes: limits.memoryMegabytes),
                    environment: environment, boxDirectory: try workspace.makeBox("bot-\(index + 1)"),
                    readOnlyBinds: bot.readOnlyBinds, stderr: .capture,
                    limits: SandboxLimits(
                        // Backstops only: the harness holds each answer to its own limit.
                        cpuMilliseconds: limits.initMilliseconds + limits.maxTurns * limits.turnMilliseconds,
                        wallMilliseconds: limits.matchWallMilliseconds + 5000,
                        memoryBytes: (limits.memoryMegabytes + bot.language.runMemoryOverheadMegabytes) << 20,
                        processes: bot.language.processes, outputBytes: 1 << 20
                    )
                )
                try self.addMember(run, to: &members, harnessEnds: &harnessEnds)
            }
        } catch {
            closeEverything()
            self.logger.error("cannot set up the match", metadata: ["error": "\(error)"])
            return Self.failed("the judge cannot set up the match")
        }

        let refereeEndpoint = MatchHarness.Endpoint(input: harnessEnds[0].input, output: harnessEnds[0].output)
        var harnessBots: [MatchHarness.Bot] = []
        var memberIndex = 1
        for index in bots.indices {
            if bots[index] == nil {
                harnessBots.append(MatchHarness.Bot(endpoint: MatchHarness.Endpoint(input: -1, output: -1), control: nil, status: .compilationError))
            } else {
                let ends = harnessEnds[memberIndex]
                harnessBots.append(MatchHarness.Bot(
                    endpoint: MatchHarness.Endpoint(input: ends.input, output: ends.output), control: members[memberIndex].control, status: nil
                ))
                memberIndex += 1
            }
        }
        let harness = MatchHarness(referee: refereeEndpoint, refereeControl: members[0].control, bots: harnessBots, limits: limits)
        let sandbox = self.sandbox
        let group = members
        async let outcomes = sandbox.runGroup(group)
        let played: MatchHarness.Outcome
        let runs: [SandboxOutcome]
        do {
            played = try await Self.onOwnThread { harness.run(seed: request.seed) }
            runs = try await outcomes
        } catch {
            self.logger.error("the match's sandbox runs failed", metadata: ["error": "\(error)"])
            return Self.failed("the judge could not run the match: \(error)")
        }
        guard let places = played.places else {
            let failure = played.failure ?? "the referee failed"
            let stderr = String(decoding: runs[0].stderr.prefix(2000), as: UTF8.self)
            self.logger.warning("referee failed", metadata: ["reason": "\(failure)", "stderr": "\(stderr)"])
            return MatchResult(outcome: .refereeFailed(failure), players: [], frames: played.frames, refereeLog: played.log + Array(stderr.utf8), turns: played.turns)
        }

        var players: [PlayerResult] = []
        var runIndex = 1
        for index in bots.indices {
            var player = PlayerResult(rank: places[index].rank, score: places[index].score, status: played.statuses[index] ?? .ok, cpuMilliseconds: 0, peakMemoryKilobytes: 0, log: "")
            if bots[index] == nil {
                player.log = compileErrors[index] ?? ""
            } else {
                let run = runs[runIndex]
                runIndex += 1
                player.cpuMilliseconds = run.cpuMilliseconds
                player.peakMemoryKilobytes = run.peakMemoryBytes / 1024
                player.log = String(decoding: run.stderr.prefix(MatchHarness.maximumLine), as: UTF8.self)
                if case .crash = player.status { player.status = .crash(Self.crashReason(run)) }
            }
            players.append(player)
        }
        return MatchResult(outcome: .completed, players: Self.ranked(players), frames: played.frames, refereeLog: played.log, turns: played.turns)
    }

    /// Two pipes: the program reads `stdin` and writes `stdout`; the harness keeps the other ends.
    private func addMember(_ run: SandboxRun, to members: inout [GroupMember], harnessEnds: inout [(input: Int32, output: Int32)]) throws {
        let toProgram = try Posix.pipe()
        let fromProgram: (read: Int32, write: Int32)
        do {
            fromProgram = try Posix.pipe()
        } catch {
            close(toProgram.read)
            close(toProgram.write)
            throw error
        }
        members.append(GroupMember(run: run, stdin: toProgram.read, stdout: fromProgram.write))
        harnessEnds.append((input: toProgram.write, output: fromProgram.read))
    }

    /// Bots that went out rank below every bot that did not; within each group the referee's
    /// order stands, ties included. A final rank is 1 + the number of bots strictly above.
    static func ranked(_ players: [PlayerResult]) -> [PlayerResult] {
        func key(_ player: PlayerResult) -> (Int, Int) { (player.status == .ok ? 0 : 1, player.rank) }
        return players.map { player in
            var ranked = player
            ranked.rank = 1 + players.filter { key($0) < key(player) }.count
            return ranked
        }
    }

    static func crashReason(_ run: SandboxOutcome) -> String {
        if run.memoryLimitHit { return "memory limit exceeded" }
        if run.outputLimitHit { return "wrote more than 1 MiB to stderr" }
        if run.securityViolation { return "forbidden system call" }
        switch run.termination {
        case .exited(let code): return "exited with code \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        }
    }

    /// Each bot's own seed, derived from the match seed (docs/game-protocol.md).
    static func playerSeed(_ seed: UInt64, player: Int) -> UInt64 {
        seed &* 1_000_003 &+ UInt64(player)
    }

    static func failed(_ reason: String) -> MatchResult {
        MatchResult(outcome: .refereeFailed(reason), players: [], frames: [], refereeLog: [], turns: 0)
    }

    /// The harness blocks in poll(2) for the whole match: a thread of its own, never a pool's.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        return try await pool.runIfActive(body)
    }
}
