extension Duration {
    /// Whole milliseconds, for SQL intervals and Redis PX arguments.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
