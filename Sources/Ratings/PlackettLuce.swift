import Glibc

/// The Weng–Lin rating model with Plackett–Luce ranking: Algorithm 4 of R. C. Weng and C.-J. Lin,
/// "A Bayesian Approximation Method for Online Ranking", JMLR 12 (2011) 267–300, as implemented by
/// OpenSkill (the `openskill` Python package, model `PlackettLuce`), for games in which every team
/// is one player: 1v1 and free-for-all, with ties.
///
/// The defaults are openskill's (checked against openskill 6.2.0), including the additive dynamics
/// factor `tau`, which openskill applies by default before every update. With them,
/// `rate([rating(), rating()], ranks: [1, 2])` gives 27.635389 ± 8.065901 and 22.364611 ± 8.065901,
/// the values OpenSkill publishes.
public struct PlackettLuce: Sendable, Hashable {
    /// A newcomer's `mu`.
    public var mu: Double
    /// A newcomer's `sigma`.
    public var sigma: Double
    /// The spread of one game's performance around a player's skill.
    public var beta: Double
    /// The least factor by which one game may shrink a variance; keeps `sigma` positive.
    public var kappa: Double
    /// Added in quadrature to every `sigma` before the update, so that `sigma` does not shrink to
    /// nothing and long-standing players can still move; 0 turns it off.
    public var tau: Double
    /// When true, no game increases a player's `sigma` (which `tau` alone can otherwise do for a
    /// player whose `sigma` is already small).
    public var limitSigma: Bool

    public init(
        mu: Double = 25,
        sigma: Double = 25.0 / 3,
        beta: Double = 25.0 / 6,
        kappa: Double = 0.0001,
        tau: Double = 25.0 / 300,
        limitSigma: Bool = false
    ) {
        self.mu = mu
        self.sigma = sigma
        self.beta = beta
        self.kappa = kappa
        self.tau = tau
        self.limitSigma = limitSigma
    }

    /// A newcomer's rating: `mu` ± `sigma` of this model.
    public func rating() -> Rating {
        Rating(mu: mu, sigma: sigma)
    }

    /// The ratings after one game.
    ///
    /// - Parameters:
    ///   - ratings: the players' ratings before the game, at least two.
    ///   - ranks: each player's place, in the order of `ratings`: lower is better, equal is a tie.
    ///     Only the order matters: `[1, 2, 2]` and `[0, 5, 5]` are the same result.
    /// - Returns: the new ratings, in the order of `ratings`.
    /// - Throws: `RatingError` on bad input; nothing is updated then.
    public func rate(_ ratings: [Rating], ranks: [Int]) throws(RatingError) -> [Rating] {
        guard ratings.count >= 2 else { throw .tooFewPlayers(ratings.count) }
        guard ranks.count == ratings.count else {
            throw .rankCountMismatch(ratings: ratings.count, ranks: ranks.count)
        }
        guard beta.isFinite, beta >= 0, tau.isFinite, tau >= 0, kappa > 0, kappa <= 1 else {
            throw .invalidParameters
        }
        if let index = ratings.firstIndex(where: { !$0.mu.isFinite || !$0.sigma.isFinite || !($0.sigma > 0) }) {
            throw .invalidRating(index: index)
        }

        let sigmas = ratings.map { ($0.sigma * $0.sigma + tau * tau).squareRoot() }
        let c = sigmas.reduce(0) { $0 + $1 * $1 + beta * beta }.squareRoot()
        let tied = ranks.map { rank in Double(ranks.count(where: { $0 == rank })) }

        // The probability that `i` comes first among the players not ranked above `q`. Written as
        // 1 / Σ exp((mu_s - mu_i) / c) rather than openskill's exp(mu_i / c) / Σ exp(mu_s / c): the
        // same value, but the sum holds exp(0) = 1, so far-apart ratings neither overflow nor give 0/0.
        func firstAmong(_ q: Int, _ i: Int) -> Double {
            var sum = 0.0
            for s in ratings.indices where ranks[s] >= ranks[q] {
                sum += exp((ratings[s].mu - ratings[i].mu) / c)
            }
            return 1 / sum
        }

        var updated: [Rating] = []
        updated.reserveCapacity(ratings.count)
        for i in ratings.indices {
            var omega = 0.0
            var delta = 0.0
            for q in ratings.indices where ranks[q] <= ranks[i] {
                let p = firstAmong(q, i)
                omega += ((q == i ? 1 : 0) - p) / tied[q]
                delta += p * (1 - p) / tied[q]
            }
            let variance = sigmas[i] * sigmas[i]
            let gamma = sigmas[i] / c
            let mu = ratings[i].mu + variance / c * omega
            var sigma = sigmas[i] * max(1 - gamma * variance / (c * c) * delta, kappa).squareRoot()
            if limitSigma { sigma = min(sigma, ratings[i].sigma) }
            guard mu.isFinite, sigma.isFinite, sigma > 0 else { throw .resultOutOfRange }
            updated.append(Rating(mu: mu, sigma: sigma))
        }
        return updated
    }
}
