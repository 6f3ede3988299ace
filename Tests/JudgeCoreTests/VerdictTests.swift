import JudgeCore
import Testing

@Suite struct VerdictTests {
    @Test func verdictStringsAreTheAPIs() {
        #expect(Verdict.allCases.map(\.rawValue) == ["AC", "WA", "PE", "TLE", "MLE", "OLE", "RE", "SV", "CE", "SE", "SKIPPED"])
    }
}
