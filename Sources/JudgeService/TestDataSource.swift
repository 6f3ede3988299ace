import AlgoProto
import RPC

/// Where test files come from: Problems' DownloadTestData (tests use the same RPC path).
protocol TestDataSource: Sendable {
    func chunk(sha256: String, offset: Int64) async throws -> (data: [UInt8], eof: Bool)
}

struct ProblemsTestDataSource: TestDataSource {
    let problems: ProblemsV1.ProblemsClient

    func chunk(sha256: String, offset: Int64) async throws -> (data: [UInt8], eof: Bool) {
        var request = ProblemsV1.DownloadTestDataRequest()
        request.sha256 = sha256
        request.offset = offset
        request.maxLength = 1 << 20
        let response = try await self.problems.downloadTestData(request, options: RPCCallOptions(timeout: .seconds(30)))
        return (response.data, response.eof)
    }
}
