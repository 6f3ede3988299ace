import AlgoProto
import Logging
import Ratings
import ServiceLifecycle
import ServiceKit

/// Keeps the ranking rooms playing. Every pass:
/// 1. matches whose XADD failed are enqueued again, and silent matches the stream lost get a new
///    job (as `Sweeper` does for submissions; a judge that died leaves its entry pending, and
///    other judges claim it);
/// 2. each ranking room with enough active bots gets matches up to `matchesPerRoom` in flight.
///    A bot that owes placement matches plays first, against random opponents; after that the
///    bot with the fewest games plays opponents near its rating (mu − 3·sigma);
/// 3. now and then, every leaderboard is rebuilt from PostgreSQL.
/// A pass runs every `interval`, and at once when a ranked match finishes in this process.
/// A room is scheduled under a transaction-scoped advisory lock, so replicas never double it.
struct RankedScheduler: Service {
    let matches: MatchStore
    let dispatcher: MatchDispatcher
    let queue: JudgeQueue
    let games: GameDirectory
    let leaderboard: Leaderboard
    let configuration: SchedulerConfiguration
    let logger: Logger
    let isReady: @Sendable () -> Bool
    /// Rung when a ranked match finishes: the next pass starts at once.
    let bell: SchedulerBell

    struct Report: Sendable, Equatable {
        var scheduled: [Int64] = []
        var enqueued = 0
        var replaced: [Int64] = []
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastRebuild = ContinuousClock.now
            while !Task.isCancelled {
                try await self.bell.wait(upTo: self.configuration.interval)
                guard self.isReady() else { continue }
                _ = await self.passOnce()
                if ContinuousClock.now - lastRebuild > self.configuration.leaderboardRebuild {
                    lastRebuild = ContinuousClock.now
                    do { try await self.leaderboard.rebuildAll() } catch {
                        self.logger.warning("rebuilding leaderboards failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    func passOnce() async -> Report {
        var report = Report()
        do {
            (report.enqueued, report.replaced) = try await self.sweep()
            guard self.configuration.matchesPerRoom > 0 else { return report }
            let rooms = try await self.matches.pool.query("SELECT DISTINCT room_id FROM bots WHERE active AND room_kind = 'ranking' ORDER BY room_id")
            for row in rooms {
                let roomID: Int64 = try row.decode("room_id")
                do {
                    let room = try await self.games.room(id: roomID)
                    let jobs = try await self.schedule(room)
                    await self.dispatcher.enqueue(jobs, logger: self.logger)
                    report.scheduled += jobs.map(\.matchID)
                } catch {
                    self.logger.warning("scheduling a ranking room failed", metadata: ["room": "\(roomID)", "error": "\(error)"])
                }
            }
        } catch {
            self.logger.warning("scheduler pass failed; retrying next pass", metadata: ["error": "\(error)"])
        }
        return report
    }

    private func sweep() async throws -> (enqueued: Int, replaced: [Int64]) {
        let unqueued = try await self.matches.claimUnenqueued(after: self.configuration.enqueueRetryAfter, limit: 500)
        let enqueued = await self.dispatcher.enqueue(unqueued, logger: self.logger)
        let silent = try await self.matches.silentMatches(after: self.configuration.staleAfter, limit: 500)
        guard !silent.isEmpty else { return (enqueued, []) }
        let held = try await self.queue.holds(silent.map(\.entryID))
        var fresh: [QueuedMatch] = []
        for (candidate, isHeld) in zip(silent, held) where !isHeld {
            if let job = try await self.matches.replace(candidate.match, silentFor: self.configuration.staleAfter) { fresh.append(job) }
        }
        if !fresh.isEmpty {
            self.logger.warning("playing again matches whose job was lost", metadata: ["matches": "\(fresh.map(\.matchID))"])
            await self.dispatcher.enqueue(fresh, logger: self.logger)
        }
        return (enqueued, fresh.map(\.matchID))
    }

    /// Creates the room's missing matches in one transaction; returns their jobs to enqueue.
    func schedule(_ room: ProblemsV1.Room) async throws -> [QueuedMatch] {
        let cap = self.configuration.matchesPerRoom
        return try await self.matches.pool.withTransaction { connection in
            let locked = try connection.query("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok", ["ranked:\(room.id)"])
            guard try locked[0].decode("ok", as: Bool.self) else { return [] }
            let inFlight = try connection.query(
                """
                SELECT p.bot_id FROM matches m JOIN match_players p ON p.match_id = m.id
                WHERE m.room_id = $1 AND m.status IN ('queued', 'running')
                """,
                [room.id]
            ).map { try $0.decode("bot_id", as: Int64.self) }
            let open = try connection.query(
                "SELECT count(*)::integer AS n FROM matches WHERE room_id = $1 AND status IN ('queued', 'running')", [room.id]
            )[0].decode("n", as: Int32.self)
            let bots = try connection.query(
                "SELECT \(MatchRows.botColumns) FROM bots b WHERE b.room_id = $1 AND b.active", [room.id]
            ).map(MatchRows.bot)
            let size = min(Int(room.maxPlayers), bots.count)
            guard size >= Int(room.minPlayers), size >= 2 else { return [] }
            var busy = Set(inFlight)
            var jobs: [QueuedMatch] = []
            for _ in 0..<max(0, cap - Int(open)) {
                guard let plan = Self.pick(bots: bots, busy: busy, size: size, room: room) else { break }
                jobs.append(try MatchStore.insert(plan, connection: connection))
                busy.formUnion(plan.bots.map(\.id))
            }
            return jobs
        }
    }

    /// The next match: a focal bot that is not playing (placement owed first, then fewest games),
    /// and opponents — random for placement, else among the nearest in rating — in random seats.
    static func pick(bots: [SubmissionsV1.Bot], busy: Set<Int64>, size: Int, room: ProblemsV1.Room) -> MatchStore.Plan? {
        let idle = bots.filter { !busy.contains($0.id) }
        guard let focal = idle.min(by: { a, b in
            (a.placementRemaining > 0 ? 0 : 1, a.games, a.id) < (b.placementRemaining > 0 ? 0 : 1, b.games, b.id)
        }) else { return nil }
        let placement = focal.placementRemaining > 0
        var others = bots.filter { $0.id != focal.id }.shuffled()
        if !placement {
            let ordinal = Rating(mu: focal.mu, sigma: focal.sigma).ordinal
            let distance = { (bot: SubmissionsV1.Bot) in abs(Rating(mu: bot.mu, sigma: bot.sigma).ordinal - ordinal) }
            others = Array(others.sorted { distance($0) < distance($1) }.prefix(2 * (size - 1))).shuffled()
        }
        // Idle opponents first, so that one bot is not in every match at once.
        others = others.filter { !busy.contains($0.id) } + others.filter { busy.contains($0.id) }
        guard others.count >= size - 1 else { return nil }
        let seats = ([focal] + others.prefix(size - 1)).shuffled()
        return MatchStore.Plan(
            room: room, kind: placement ? .placement : .ranked, rated: true, seed: UInt64.random(in: 1...UInt64.max), createdBy: 0, bots: seats
        )
    }
}

/// When the scheduler runs and how much it keeps in flight.
struct SchedulerConfiguration: Sendable, CustomStringConvertible {
    var interval: Duration
    var matchesPerRoom: Int
    /// A match with no sign of life for this long, not held by the stream, is played again.
    var staleAfter: Duration
    var enqueueRetryAfter: Duration = .seconds(10)
    var leaderboardRebuild: Duration = .seconds(300)

    var description: String { "(interval: \(self.interval), matchesPerRoom: \(self.matchesPerRoom), staleAfter: \(self.staleAfter))" }
}
