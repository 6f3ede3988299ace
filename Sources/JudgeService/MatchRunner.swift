import AlgoProto
import JudgeCore
import Logging
import RPC

/// Plays one match end to end: claims it with Submissions (StartMatch), fetches the game version's
/// referee and limits from Problems, plays it, and reports the result with the compressed replay.
/// CompleteMatch is keyed by the job id, so a match played twice (a judge died after playing,
/// before acknowledging) is still stored and rated once.
struct MatchRunner: Sendable {
    let games: ProblemsV1.GamesClient
    let matches: SubmissionsV1.MatchesClient
    let engine: JudgeEngine
    let workerName: String
    let logger: Logger

    func run(_ job: JudgeV1.MatchJob) async -> JobRunner.Outcome {
        var logger = self.logger
        logger[metadataKey: "match"] = "\(job.matchId)"
        logger[metadataKey: "job"] = "\(job.jobId)"
        let options = RPCCallOptions(timeout: .seconds(10))
        let start: SubmissionsV1.StartMatchResponse
        let version: ProblemsV1.GetGameVersionResponse
        do {
            var request = SubmissionsV1.StartMatchRequest()
            request.matchId = job.matchId
            request.jobId = job.jobId
            start = try await self.matches.startMatch(request, options: options)
            if start.staleJob { return .stale }
            var versionRequest = ProblemsV1.GetGameVersionRequest()
            versionRequest.gameVersionId = start.gameVersionId
            versionRequest.includeReferee = true
            version = try await self.games.getGameVersion(versionRequest, options: options)
        } catch let error as RPCError where error.code == .notFound {
            logger.error("the match or its game version is gone; dropping the job", metadata: ["error": "\(error)"])
            return .stale
        } catch {
            logger.warning("cannot prepare the match; it will be retried", metadata: ["error": "\(error)"])
            return .retryLater
        }
        guard let gameVersion = version.version, let game = version.game else {
            return await self.complete(job, refereeError: "the game version came back empty", logger: logger)
        }
        let limits = gameVersion.limits ?? ProblemsV1.GameLimits()
        let request = MatchRequest(
            referee: ProgramSource(language: gameVersion.refereeLanguage, source: gameVersion.refereeSource),
            bots: start.bots.map { ProgramSource(language: $0.language, source: $0.sourceCode) },
            seed: start.seed,
            limits: MatchLimits(
                initMilliseconds: Int(limits.initTimeMs), turnMilliseconds: Int(limits.turnTimeMs),
                memoryMegabytes: Int(limits.memoryMb), maxTurns: Int(limits.maxTurns)
            )
        )
        let result = await self.engine.play(request)
        if case .refereeFailed(let reason) = result.outcome {
            logger.warning("the referee failed", metadata: ["reason": "\(reason)"])
            return await self.complete(job, refereeError: reason, logger: logger)
        }
        var completion = SubmissionsV1.CompleteMatchRequest()
        completion.players = result.players.enumerated().map { index, player in SubmissionsV1.MatchPlayer(seat: index + 1, player) }
        completion.turns = Int32(result.turns)
        do {
            completion.replayGzip = try Gzip.compress(MatchReplay.json(version: gameVersion, game: game, seed: start.seed, bots: start.bots, result: result))
        } catch {
            logger.error("cannot compress the replay", metadata: ["error": "\(error)"])
        }
        logger.info("match played", metadata: ["turns": "\(result.turns)", "ranks": "\(result.players.map(\.rank))"])
        return await self.complete(job, completion, logger: logger)
    }

    private func complete(_ job: JudgeV1.MatchJob, refereeError: String, logger: Logger) async -> JobRunner.Outcome {
        var request = SubmissionsV1.CompleteMatchRequest()
        request.refereeError = refereeError
        return await self.complete(job, request, logger: logger)
    }

    /// Retried freely for a while (idempotent by job id); after that the entry stays pending and
    /// the match is played again later under the same job id.
    private func complete(_ job: JudgeV1.MatchJob, _ completion: SubmissionsV1.CompleteMatchRequest, logger: Logger) async -> JobRunner.Outcome {
        var request = completion
        request.matchId = job.matchId
        request.jobId = job.jobId
        request.judgeWorker = self.workerName
        var delay = Duration.milliseconds(200)
        for attempt in 1...6 {
            do {
                let response = try await self.matches.completeMatch(request, options: RPCCallOptions(timeout: .seconds(10)))
                return response.staleJob ? .stale : .completed
            } catch let error as RPCError where error.code == .invalidArgument {
                logger.error("Submissions refused the match result", metadata: ["error": "\(error)"])
                return .stale
            } catch {
                logger.warning("cannot store the match result", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return .retryLater
    }
}

extension SubmissionsV1.MatchPlayer {
    init(seat: Int, _ result: PlayerResult) {
        self.init()
        self.player = Int32(seat)
        self.rank = Int32(result.rank)
        self.score = result.score
        self.cpuTimeMs = Int32(clamping: result.cpuMilliseconds)
        self.memoryKb = Int64(result.peakMemoryKilobytes)
        self.log = result.log
        switch result.status {
        case .ok: self.status = .ok
        case .timeout: self.status = .timeout
        case .crash(let reason):
            self.status = .crash
            self.reason = reason
        case .overflow: self.status = .overflow
        case .kicked(let reason):
            self.status = .kicked
            self.reason = reason
        case .compilationError: self.status = .compilationError
        }
    }
}
