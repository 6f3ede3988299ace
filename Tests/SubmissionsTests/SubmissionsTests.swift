import Testing

/// Every Submissions suite is nested here and runs one test at a time: they share one schema,
/// and the sweeper tests sweep every pending submission in it.
@Suite(.serialized)
enum SubmissionsTests {}
