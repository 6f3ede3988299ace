import AlgoProto

/// The words the `submissions` schema stores for proto enums, and the judge's language ids.
enum StoredCodes {
    /// Languages the judge supports; a problem with no allowed_languages accepts every one.
    static let languages = ["c", "cpp", "python", "javascript", "java"]

    static let statuses: [(SubmissionsV1.SubmissionStatus, String)] = [
        (.queued, "queued"), (.compiling, "compiling"), (.running, "running"), (.done, "done"),
    ]

    static let verdicts: [(SubmissionsV1.Verdict, String)] = [
        (.unspecified, ""), (.ac, "AC"), (.wa, "WA"), (.pe, "PE"), (.tle, "TLE"), (.mle, "MLE"), (.ole, "OLE"),
        (.re, "RE"), (.sv, "SV"), (.ce, "CE"), (.se, "SE"), (.skipped, "SKIPPED"),
    ]

    static func word(_ status: SubmissionsV1.SubmissionStatus) -> String? {
        self.statuses.first { $0.0 == status }?.1
    }

    static func status(_ word: String) -> SubmissionsV1.SubmissionStatus {
        self.statuses.first { $0.1 == word }?.0 ?? .unspecified
    }

    static func word(_ verdict: SubmissionsV1.Verdict) -> String? {
        self.verdicts.first { $0.0 == verdict }?.1
    }

    static func verdict(_ word: String) -> SubmissionsV1.Verdict {
        self.verdicts.first { $0.1 == word }?.0 ?? .unspecified
    }

    /// Progress order: a report never moves a submission to a lower rank.
    static func rank(_ status: SubmissionsV1.SubmissionStatus) -> Int {
        switch status {
        case .queued: 1
        case .compiling: 2
        case .running: 3
        case .done: 4
        default: 0
        }
    }
}

extension String {
    /// At most `maxBytes` of UTF-8, cut before a character that would not fit whole.
    func truncatedUTF8(maxBytes: Int) -> String {
        let utf8 = Array(self.utf8)
        guard utf8.count > maxBytes else { return self }
        var end = maxBytes
        while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }  // a continuation byte: back to its lead byte
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}
