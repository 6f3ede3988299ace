import AlgoProto

/// The judge queue's contract between Submissions (producer) and JudgeService (consumer): a Redis
/// Stream of encoded `JudgeJob`s read by one consumer group. Stream values are text in our Redis
/// API, so the protobuf bytes travel base64url-encoded.
public enum JudgeJobQueue {
    public static let stream = "judge:jobs"
    public static let group = "judges"
    public static let field = "job"

    public struct MalformedEntry: Error, CustomStringConvertible {
        public var entryID: String
        public var description: String { "judge queue entry \(entryID) holds no decodable JudgeJob" }
    }

    /// XADDs the job; returns the entry id.
    @discardableResult
    public static func enqueue(_ job: JudgeV1.JudgeJob, on redis: RedisPool) async throws -> String {
        try await redis.xadd(self.stream, fields: [(self.field, Base64URL.encode(job.serializedBytes()))])
    }

    public static func decode(_ entry: RedisStreamEntry) throws -> JudgeV1.JudgeJob {
        guard let text = entry[self.field], let bytes = Base64URL.decode(text) else { throw MalformedEntry(entryID: entry.id) }
        do {
            return try JudgeV1.JudgeJob(serializedBytes: bytes)
        } catch {
            throw MalformedEntry(entryID: entry.id)
        }
    }
}

/// Live updates of a submission: published on a channel and kept as the key's last value so that a
/// late subscriber starts from the current state.
public enum SubmissionEventChannel {
    public static func channel(_ submissionID: Int64) -> String { "submission-events:\(submissionID)" }
    public static func lastValueKey(_ submissionID: Int64) -> String { "submission-events:\(submissionID):last" }

    public static func encode(_ event: SubmissionsV1.SubmissionEvent) -> String {
        Base64URL.encode(event.serializedBytes())
    }

    public static func decode(_ text: String) -> SubmissionsV1.SubmissionEvent? {
        guard let bytes = Base64URL.decode(text) else { return nil }
        return try? SubmissionsV1.SubmissionEvent(serializedBytes: bytes)
    }
}
