import Testing

import Ratings

/// The ordinal and the display of a rating.
@Suite struct RatingTests {
    @Test func ordinalIsMuMinusThreeSigma() {
        #expect(Rating(mu: 25, sigma: 25.0 / 3).ordinal == 0)
        #expect(Rating(mu: 30, sigma: 2).ordinal == 24)
        #expect(Rating(mu: 10, sigma: 5).ordinal == -5)
    }

    @Test func displaysMuPlusMinusSigma() {
        let winner = Rating(mu: 27.635389493140497, sigma: 8.06590141354368)
        #expect(winner.description == "27.64 ± 8.07")
        #expect("\(winner)" == "27.64 ± 8.07")
        #expect(winner.formatted(decimals: 4) == "27.6354 ± 8.0659")
        #expect(winner.formatted(decimals: 0) == "28 ± 8")
        #expect(Rating(mu: 25, sigma: 25.0 / 3).description == "25.00 ± 8.33")
        #expect(Rating(mu: -1.5, sigma: 0.25).description == "-1.50 ± 0.25")
        #expect(Rating(mu: 3.04, sigma: 0.96).formatted(decimals: 1) == "3.0 ± 1.0")
        #expect(Rating(mu: 7, sigma: 0.0001).description == "7.00 ± 0.00")
        // Rounds to zero: no sign.
        #expect(Rating(mu: -0.001, sigma: 1).description == "0.00 ± 1.00")
        #expect(Rating(mu: 2, sigma: 1).formatted(decimals: -3) == "2 ± 1")
        #expect(Rating(mu: .nan, sigma: .infinity).description == "nan ± inf")
    }
}
