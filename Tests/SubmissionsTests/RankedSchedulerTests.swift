import AlgoProto
import Testing

@testable import Submissions

/// The scheduler's choices, in memory: who plays next and against whom.
@Suite("Ranked scheduler's picks")
struct RankedSchedulerTests {
    static func bot(_ id: Int64, mu: Double, sigma: Double = 2, games: Int32 = 10, placement: Int32 = 0) -> SubmissionsV1.Bot {
        var bot = SubmissionsV1.Bot()
        bot.id = id
        bot.userId = id + 100
        bot.mu = mu
        bot.sigma = sigma
        bot.games = games
        bot.placementRemaining = placement
        bot.active = true
        return bot
    }

    static let room: ProblemsV1.Room = {
        var room = ProblemsV1.Room()
        room.id = 1
        room.minPlayers = 2
        room.maxPlayers = 2
        return room
    }()

    @Test func aBotOwingPlacementPlaysFirstAndIsPlacementMatch() throws {
        let bots = [Self.bot(1, mu: 30, games: 0), Self.bot(2, mu: 20, games: 5, placement: 2), Self.bot(3, mu: 25, games: 1)]
        let plan = try #require(RankedScheduler.pick(bots: bots, busy: [], size: 2, room: Self.room))
        #expect(plan.kind == .placement && plan.rated)
        #expect(plan.bots.contains { $0.id == 2 } && plan.bots.count == 2)
    }

    @Test func afterPlacementTheFewestGamesPlayAnOpponentNearInRating() throws {
        // Bot 1 (fewest games) sits at ordinal 24; bots 2 and 3 are nearest, 4 and 5 far away.
        let bots = [
            Self.bot(1, mu: 30, games: 1), Self.bot(2, mu: 31, games: 9), Self.bot(3, mu: 29, games: 9),
            Self.bot(4, mu: 60, games: 9), Self.bot(5, mu: 2, games: 9),
        ]
        for _ in 0..<50 {
            let plan = try #require(RankedScheduler.pick(bots: bots, busy: [], size: 2, room: Self.room))
            #expect(plan.kind == .ranked)
            let ids = Set(plan.bots.map(\.id))
            #expect(ids.contains(1) && (ids.contains(2) || ids.contains(3)), "\(ids)")
        }
    }

    @Test func busyBotsAreNotPickedToStartAMatch() throws {
        let bots = [Self.bot(1, mu: 25, games: 0), Self.bot(2, mu: 25, games: 3), Self.bot(3, mu: 25, games: 4)]
        for _ in 0..<50 {
            let plan = try #require(RankedScheduler.pick(bots: bots, busy: [1], size: 2, room: Self.room))
            #expect(plan.bots.map(\.id).sorted() == [2, 3], "an idle opponent is preferred to a busy one")
        }
        #expect(RankedScheduler.pick(bots: bots, busy: [1, 2, 3], size: 2, room: Self.room) == nil)
        #expect(RankedScheduler.pick(bots: [Self.bot(1, mu: 25)], busy: [], size: 2, room: Self.room) == nil)
    }

    @Test func theBellWakesTheSchedulerOnce() async throws {
        let bell = SchedulerBell()
        #expect(try await bell.wait(upTo: .milliseconds(1)) == false)
        bell.ring()
        bell.ring()
        #expect(try await bell.wait(upTo: .seconds(60)))
        #expect(try await bell.wait(upTo: .milliseconds(1)) == false, "two rings before a wait are one wake-up")
    }
}
