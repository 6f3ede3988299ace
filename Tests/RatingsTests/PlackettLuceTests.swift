import Testing

import Ratings

/// Bad input, and what the ratings must do over a series of games.
@Suite struct PlackettLuceTests {
    let model = PlackettLuce()

    @Test func rejectsBadInput() {
        let a = model.rating()
        #expect(throws: RatingError.tooFewPlayers(0)) { try model.rate([], ranks: []) }
        #expect(throws: RatingError.tooFewPlayers(1)) { try model.rate([a], ranks: [1]) }
        #expect(throws: RatingError.rankCountMismatch(ratings: 2, ranks: 1)) { try model.rate([a, a], ranks: [1]) }
        #expect(throws: RatingError.rankCountMismatch(ratings: 2, ranks: 3)) { try model.rate([a, a], ranks: [1, 2, 3]) }
        let bad = [
            Rating(mu: .nan, sigma: 1), Rating(mu: .infinity, sigma: 1), Rating(mu: 25, sigma: .nan),
            Rating(mu: 25, sigma: .infinity), Rating(mu: 25, sigma: 0), Rating(mu: 25, sigma: -1),
        ]
        for rating in bad {
            #expect(throws: RatingError.invalidRating(index: 1), "\(rating)") {
                try model.rate([a, rating, a], ranks: [1, 2, 3])
            }
        }
    }

    @Test func rejectsBadParameters() {
        let a = model.rating()
        let bad = [
            PlackettLuce(beta: .nan), PlackettLuce(beta: -1), PlackettLuce(kappa: 0), PlackettLuce(kappa: 2),
            PlackettLuce(kappa: .nan), PlackettLuce(tau: -0.1), PlackettLuce(tau: .infinity),
        ]
        for model in bad {
            #expect(throws: RatingError.invalidParameters) { try model.rate([a, a], ranks: [1, 2]) }
        }
    }

    @Test func rejectsResultsPastDouble() {
        // sigma² overflows to infinity.
        #expect(throws: RatingError.resultOutOfRange) {
            try model.rate([Rating(mu: 25, sigma: 1e200), model.rating()], ranks: [1, 2])
        }
    }

    @Test func farApartRatingsStayFinite() throws {
        // exp(mu / c) alone would overflow here.
        let after = try model.rate([Rating(mu: 1e6, sigma: 1), Rating(mu: -1e6, sigma: 1)], ranks: [2, 1])
        #expect(after.allSatisfy { $0.mu.isFinite && $0.sigma.isFinite && $0.sigma > 0 })
        #expect(after[0].mu < 1e6)
        #expect(after[1].mu > -1e6)
    }

    @Test func equalPlayersWhoTieKeepTheirMu() throws {
        let a = model.rating()
        let after = try model.rate([a, a, a], ranks: [2, 2, 2])
        for rating in after {
            #expect(abs(rating.mu - a.mu) <= 1e-12)
            #expect(rating.sigma < a.sigma)
        }
    }

    @Test func onlyTheOrderOfRanksMatters() throws {
        let players = [Rating(mu: 30, sigma: 5), model.rating(), Rating(mu: 18, sigma: 6.5)]
        let dense = try model.rate(players, ranks: [1, 2, 2])
        let sparse = try model.rate(players, ranks: [-7, 40, 40])
        #expect(dense == sparse)
    }

    @Test func inputOrderDoesNotChangeAnyonesResult() throws {
        let players = [Rating(mu: 30, sigma: 5), model.rating(), Rating(mu: 18, sigma: 6.5), Rating(mu: 28, sigma: 3)]
        let ranks = [3, 1, 4, 2]
        let after = try model.rate(players, ranks: ranks)
        let order = [2, 0, 3, 1]
        let shuffled = try model.rate(order.map { players[$0] }, ranks: order.map { ranks[$0] })
        for (position, index) in order.enumerated() {
            #expect(abs(shuffled[position].mu - after[index].mu) <= 1e-12)
            #expect(abs(shuffled[position].sigma - after[index].sigma) <= 1e-12)
        }
    }

    @Test func aPlayerWhoAlwaysWinsRanksHigher() throws {
        var a = model.rating()
        var b = model.rating()
        for game in 1...10 {
            let after = try model.rate([a, b], ranks: [1, 2])
            #expect(after[0].ordinal > a.ordinal, "game \(game)")
            #expect(after[1].mu < b.mu, "game \(game)")
            (a, b) = (after[0], after[1])
        }
        #expect(a.ordinal > b.ordinal)
    }

    @Test func leaderboardFollowsFinishingOrder() throws {
        var players = [model.rating(), model.rating(), model.rating(), model.rating()]
        // Player 2 always wins, then 0, then 3, then 1.
        for _ in 1...8 {
            players = try model.rate(players, ranks: [2, 4, 1, 3])
        }
        let leaderboard = players.indices.sorted { players[$0].ordinal > players[$1].ordinal }
        #expect(leaderboard == [2, 0, 3, 1])
    }
}
