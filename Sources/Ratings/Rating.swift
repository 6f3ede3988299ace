/// A player's skill belief: a normal distribution with mean `mu` and standard deviation `sigma`.
public struct Rating: Sendable, Hashable {
    public var mu: Double
    public var sigma: Double

    public init(mu: Double, sigma: Double) {
        self.mu = mu
        self.sigma = sigma
    }

    /// The conservative skill estimate `mu - 3 * sigma` that leaderboards sort by: the true skill is
    /// above it with about 99.7 % probability, so a newcomer with a lucky first win does not jump
    /// over players whose skill is well established.
    public var ordinal: Double { mu - 3 * sigma }

    /// `mu ± sigma` rounded to `decimals` digits (clamped to 0...9), e.g. "27.64 ± 8.07".
    public func formatted(decimals: Int = 2) -> String {
        let decimals = min(max(decimals, 0), 9)
        return "\(fixedPoint(mu, decimals)) ± \(fixedPoint(sigma, decimals))"
    }
}

extension Rating: CustomStringConvertible {
    /// `mu ± sigma` with two decimals.
    public var description: String { formatted() }
}

/// `value` with exactly `decimals` digits after the point, without Foundation's `String(format:)`.
/// Values whose scaled magnitude is past exact integers (or not finite) use Swift's own formatting.
private func fixedPoint(_ value: Double, _ decimals: Int) -> String {
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value.magnitude * Double(scale)).rounded()
    guard value.isFinite, scaled < 9_007_199_254_740_992 else { return "\(value)" }
    let units = UInt64(scaled)
    // "-0.00" would read as a negative rating; a value that rounds to zero has no sign.
    let sign = value < 0 && units != 0 ? "-" : ""
    let whole = "\(units / scale)"
    guard decimals > 0 else { return sign + whole }
    let fraction = "\(units % scale)"
    return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
