import AlgoProto

/// The judge queue's contract between Submissions (producer) and JudgeService (consumer): a Redis
/// Stream whose entries hold an encoded `JudgeJob` (binary) in the field "job", read by one
/// consumer group. The names are defaults: tests give each run its own stream.
public enum JudgeJobQueue {
    public static let stream = "judge:jobs"
    public static let group = "judges"
    public static let field = "job"

    public struct MalformedEntry: Error, CustomStringConvertible {
        public var entryID: String
        public var description: String { "judge queue entry \(entryID) holds no decodable JudgeJob" }
    }

    /// The `job` field's value.
    public static func encode(_ job: JudgeV1.JudgeJob) -> [UInt8] {
        job.serializedBytes()
    }

    public static func decode(_ entry: RedisStreamEntry) throws -> JudgeV1.JudgeJob {
        guard let bytes = entry.bytes(self.field), let job = try? JudgeV1.JudgeJob(serializedBytes: bytes) else {
            throw MalformedEntry(entryID: entry.id)
        }
        return job
    }
}

/// Live updates of a submission: an encoded `SubmissionEvent` (binary) published on a channel and
/// kept as a key's last value, so that a late subscriber starts from the current state.
public enum SubmissionEventChannel {
    public static let prefix = "submission-events:"

    public static func channel(_ submissionID: Int64, prefix: String = Self.prefix) -> String { "\(prefix)\(submissionID)" }
    public static func lastValueKey(_ submissionID: Int64, prefix: String = Self.prefix) -> String { "\(prefix)\(submissionID):last" }

    public static func encode(_ event: SubmissionsV1.SubmissionEvent) -> [UInt8] {
        event.serializedBytes()
    }

    public static func decode(_ bytes: [UInt8]) -> SubmissionsV1.SubmissionEvent? {
        try? SubmissionsV1.SubmissionEvent(serializedBytes: bytes)
    }
}
