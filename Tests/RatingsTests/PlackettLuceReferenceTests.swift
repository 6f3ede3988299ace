import Testing

import Ratings

/// One game and the ratings the reference implementation gives after it.
struct ReferenceGame: Sendable, CustomTestStringConvertible {
    var name: String
    var model = PlackettLuce()
    var before: [Rating]
    var ranks: [Int]
    var after: [Rating]

    var testDescription: String { name }
}

/// A newcomer under the default model: 25 ± 25/3.
private let newcomer = PlackettLuce().rating()

private func r(_ mu: Double, _ sigma: Double) -> Rating { Rating(mu: mu, sigma: sigma) }

/// Produced by openskill 6.2.0 (PyPI), `PlackettLuce(**options).rate([[p] for p in before], ranks=ranks)`
/// with each player made by `model.rating(mu=..., sigma=...)`, printed with `repr`.
let referenceGames: [ReferenceGame] = [
    // OpenSkill's published 1v1: these are with the default tau = 25/300 applied.
    ReferenceGame(
        name: "1v1 of newcomers",
        before: [newcomer, newcomer], ranks: [1, 2],
        after: [r(27.635389493140497, 8.06590141354368), r(22.364610506859503, 8.06590141354368)]
    ),
    ReferenceGame(
        name: "1v1 of newcomers, tau = 0",
        model: PlackettLuce(tau: 0),
        before: [newcomer, newcomer], ranks: [1, 2],
        after: [r(27.63523138347365, 8.065506316323548), r(22.36476861652635, 8.065506316323548)]
    ),
    ReferenceGame(
        name: "3-player free-for-all of newcomers",
        before: [newcomer, newcomer, newcomer], ranks: [1, 2, 3],
        after: [
            r(27.869048680749426, 8.205243377397993),
            r(25.717262170187357, 8.058224222802378),
            r(21.413689149063217, 8.058224222802378),
        ]
    ),
    ReferenceGame(
        name: "4-player free-for-all of newcomers",
        before: [newcomer, newcomer, newcomer, newcomer], ranks: [1, 2, 3, 4],
        after: [
            r(27.795252672501135, 8.263571791259416),
            r(26.55291815138952, 8.17961798837266),
            r(24.689416369722096, 8.084127880168786),
            r(20.962412806387245, 8.084127880168786),
        ]
    ),
    // Finishing order differs from the input order, so the results must come back unsorted.
    ReferenceGame(
        name: "4-player free-for-all, unequal ratings",
        before: [r(30, 5), newcomer, r(18, 6.5), r(28, 3)], ranks: [3, 1, 4, 2],
        after: [
            r(29.221597927406233, 4.932956353208806),
            r(28.62160649540525, 8.195187691969505),
            r(16.148331058682057, 6.360015743663336),
            r(28.205365528887818, 2.995495268855703),
        ]
    ),
    // Players 0 and 2 tie for first; their ratings differ, so they move by different amounts.
    ReferenceGame(
        name: "3-player game with a tie",
        before: [r(27, 6), r(23, 7.5), newcomer], ranks: [1, 2, 1],
        after: [
            r(27.295948053798856, 5.951532020334665),
            r(21.888409705365245, 7.395738114739014),
            r(25.8014670869725, 8.161056132229234),
        ]
    ),
    ReferenceGame(
        name: "1v1 upset",
        before: [r(32, 3), r(20, 4)], ranks: [2, 1],
        after: [r(31.03824179702452, 2.9884627826685866), r(21.70921561901194, 3.9606571706246867)]
    ),
    // tau grows the small sigma (0.5 → 0.50689); limitSigma keeps it at 0.5.
    ReferenceGame(
        name: "small sigma, tau grows it",
        before: [r(25, 0.5), newcomer], ranks: [2, 1],
        after: [r(24.987428258510676, 0.5068891444821723), r(28.398107746884882, 7.748202407779947)]
    ),
    ReferenceGame(
        name: "small sigma, limitSigma",
        model: PlackettLuce(limitSigma: true),
        before: [r(25, 0.5), newcomer], ranks: [2, 1],
        after: [r(24.987428258510676, 0.5), r(28.398107746884882, 7.748202407779947)]
    ),
]

/// The model against openskill's numbers.
@Suite struct PlackettLuceReferenceTests {
    @Test(arguments: referenceGames)
    func matchesOpenSkill(_ game: ReferenceGame) throws {
        let after = try game.model.rate(game.before, ranks: game.ranks)
        try #require(after.count == game.after.count)
        for (index, (got, want)) in zip(after, game.after).enumerated() {
            #expect(abs(got.mu - want.mu) <= 1e-6, "player \(index): mu \(got.mu), openskill \(want.mu)")
            #expect(abs(got.sigma - want.sigma) <= 1e-6, "player \(index): sigma \(got.sigma), openskill \(want.sigma)")
        }
    }

    @Test func defaultsAreOpenSkills() {
        let model = PlackettLuce()
        #expect(model.mu == 25)
        #expect(model.sigma == 25.0 / 3)
        #expect(model.beta == 25.0 / 6)
        #expect(model.kappa == 0.0001)
        #expect(model.tau == 25.0 / 300)
        #expect(model.limitSigma == false)
        #expect(model.rating() == Rating(mu: 25, sigma: 25.0 / 3))
    }
}
