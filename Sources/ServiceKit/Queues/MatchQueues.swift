import AlgoProto

/// The Redis stream of matches to play ("judge:matches", group "judges"): each entry's field
/// "job" is an encoded `JudgeV1.MatchJob`. Apart from the stream, it works like `JudgeJobQueue`.
public enum MatchJobQueue {
    public static let stream = "judge:matches"
    public static let group = JudgeJobQueue.group
    public static let field = JudgeJobQueue.field

    public static func decode(_ entry: RedisStreamEntry) throws -> JudgeV1.MatchJob {
        guard let bytes = entry.bytes(self.field), let job = try? JudgeV1.MatchJob(serializedBytes: bytes) else {
            throw JudgeJobQueue.MalformedEntry(entryID: entry.id)
        }
        return job
    }
}

/// Live updates of a match: an encoded `MatchEvent` published on "match-events:{id}" and kept in
/// "match-events:{id}:last", like `SubmissionEventChannel`.
public enum MatchEventChannel {
    public static let prefix = "match-events:"

    public static func channel(_ matchID: Int64, prefix: String = Self.prefix) -> String { "\(prefix)\(matchID)" }
    public static func lastValueKey(_ matchID: Int64, prefix: String = Self.prefix) -> String { "\(prefix)\(matchID):last" }

    public static func decode(_ bytes: [UInt8]) -> SubmissionsV1.MatchEvent? {
        try? SubmissionsV1.MatchEvent(serializedBytes: bytes)
    }
}
