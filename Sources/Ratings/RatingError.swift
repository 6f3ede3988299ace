/// Why `PlackettLuce.rate` refused a game. Nothing is updated when it throws.
public enum RatingError: Error, Equatable, Sendable {
    /// A game needs at least two players; holds how many were given.
    case tooFewPlayers(Int)
    /// `ranks` must have one entry per rating.
    case rankCountMismatch(ratings: Int, ranks: Int)
    /// The rating at `index` has a non-finite `mu`, or a `sigma` that is not finite and positive.
    case invalidRating(index: Int)
    /// The model's `beta` or `tau` is negative or not finite, or `kappa` is outside (0, 1].
    case invalidParameters
    /// The update overflowed or underflowed: the ratings were valid but too extreme for `Double`
    /// (e.g. a `sigma` near 1e200, whose square is infinite).
    case resultOutOfRange
}
