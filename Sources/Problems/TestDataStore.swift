import AlgoProto
import RPC
import ServiceKit

/// Versioned test data: content-addressed blobs in 1 MiB chunk rows, versions, and their tests.
struct TestDataStore: Sendable {
    let pool: PostgresPool
    /// Chunk rows and the download cap are the same size, so a download reads at most two rows.
    static let chunkSize = 1 << 20

    /// Stores `upload` as the problem's next version and makes it current, in one transaction.
    /// nil when the problem does not exist.
    func put(problemID: Int64, _ upload: TestDataUpload) async throws -> ProblemsV1.TestDataInfo? {
        let groupsJSON = try upload.groups.map {
            try ProblemDocuments.encode($0.map { ProblemDocuments.Group(name: $0.name, points: $0.points, depends_on: $0.dependsOn) })
        }
        return try await self.pool.withTransaction { connection -> ProblemsV1.TestDataInfo? in
            // The row lock serialises versions of one problem.
            guard try connection.query("SELECT id FROM problems WHERE id = $1 FOR UPDATE", [problemID]).first != nil else {
                return nil
            }
            let version = try connection.query(
                "SELECT coalesce(max(version), 0) + 1 AS next FROM test_data_versions WHERE problem_id = $1", [problemID]
            )[0].decode("next", as: Int64.self)
            var stored: Set<[UInt8]> = []
            for test in upload.tests {
                for (hash, bytes) in [(test.inputSHA256, test.input), (test.answerSHA256, test.answer)] where stored.insert(hash).inserted {
                    try Self.storeBlob(connection, hash: hash, bytes: bytes)
                }
            }
            let created = try connection.query(
                """
                INSERT INTO test_data_versions (problem_id, version, total_size) VALUES ($1, $2, $3)
                RETURNING (extract(epoch from created_at) * 1000)::bigint AS created_at_ms
                """,
                [problemID, version, Int64(upload.totalSize)]
            )[0].decode("created_at_ms", as: Int64.self)
            for (position, test) in upload.tests.enumerated() {
                try connection.execute(
                    """
                    INSERT INTO test_data_tests (problem_id, version, position, name, group_name, points, input_sha256, answer_sha256)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """,
                    [problemID, version, Int32(position), test.name, test.group, test.points, test.inputSHA256, test.answerSHA256]
                )
            }
            if let groupsJSON {
                // tests.json declares the groups: the problem's scoring follows, as a new revision.
                try connection.execute(
                    """
                    UPDATE problems SET test_data_version = $2, revision = revision + 1, updated_at = now(),
                        scoring = jsonb_set(scoring, '{groups}', $3::jsonb) WHERE id = $1
                    """,
                    [problemID, version, groupsJSON]
                )
            } else {
                try connection.execute("UPDATE problems SET test_data_version = $2 WHERE id = $1", [problemID, version])
            }
            var info = ProblemsV1.TestDataInfo()
            info.problemId = problemID
            info.version = version
            info.totalSize = Int64(upload.totalSize)
            info.createdAtMs = created
            info.tests = upload.tests.map { test in
                var file = ProblemsV1.TestFileInfo()
                file.name = test.name
                file.group = test.group
                file.points = test.points
                file.inputSha256 = Hex.encode(test.inputSHA256)
                file.inputSize = Int64(test.input.count)
                file.answerSha256 = Hex.encode(test.answerSHA256)
                file.answerSize = Int64(test.answer.count)
                return file
            }
            return info
        }
    }

    /// A blob already stored (by this or any problem) is not written again.
    private static func storeBlob(_ connection: PostgresConnection, hash: [UInt8], bytes: [UInt8]) throws {
        let inserted = try connection.execute(
            "INSERT INTO test_blobs (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING", [hash, Int64(bytes.count)]
        )
        guard inserted == 1 else { return }
        var seq: Int32 = 0
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, bytes.count)
            try connection.execute(
                "INSERT INTO test_blob_chunks (sha256, seq, data) VALUES ($1, $2, $3)", [hash, seq, Array(bytes[offset..<end])]
            )
            seq += 1
            offset = end
        } while offset < bytes.count
    }

    enum InfoResult: Sendable {
        case found(ProblemsV1.TestDataInfo)
        case noProblem
        case noVersion(Int64)
    }

    /// `version` 0 means the problem's current version.
    func info(problemID: Int64, version requested: Int64) async throws -> InfoResult {
        try await self.pool.withConnection { connection in
            guard let problem = try connection.query("SELECT test_data_version FROM problems WHERE id = $1", [problemID]).first else {
                return .noProblem
            }
            let version = requested == 0 ? try problem.decode("test_data_version", as: Int64.self) : requested
            guard let row = try connection.query(
                """
                SELECT total_size, (extract(epoch from created_at) * 1000)::bigint AS created_at_ms
                FROM test_data_versions WHERE problem_id = $1 AND version = $2
                """,
                [problemID, version]
            ).first else {
                return .noVersion(version)
            }
            var info = ProblemsV1.TestDataInfo()
            info.problemId = problemID
            info.version = version
            info.totalSize = try row.decode("total_size")
            info.createdAtMs = try row.decode("created_at_ms")
            info.tests = try connection.query(
                """
                SELECT t.name, t.group_name, t.points, encode(t.input_sha256, 'hex') AS input_sha256, i.size AS input_size,
                       encode(t.answer_sha256, 'hex') AS answer_sha256, a.size AS answer_size
                FROM test_data_tests t
                JOIN test_blobs i ON i.sha256 = t.input_sha256
                JOIN test_blobs a ON a.sha256 = t.answer_sha256
                WHERE t.problem_id = $1 AND t.version = $2 ORDER BY t.position
                """,
                [problemID, version]
            ).map { row in
                var file = ProblemsV1.TestFileInfo()
                file.name = try row.decode("name")
                file.group = try row.decode("group_name")
                file.points = try row.decode("points")
                file.inputSha256 = try row.decode("input_sha256")
                file.inputSize = try row.decode("input_size")
                file.answerSha256 = try row.decode("answer_sha256")
                file.answerSize = try row.decode("answer_size")
                return file
            }
            return .found(info)
        }
    }

    enum ChunkResult: Sendable {
        case chunk(data: [UInt8], totalSize: Int64)
        case notFound
        case offsetPastEnd(totalSize: Int64)
    }

    /// Up to `length` bytes from `offset`, reading only the chunk rows that hold them.
    func read(sha256: [UInt8], offset: Int64, length: Int) async throws -> ChunkResult {
        let chunkSize = Int64(Self.chunkSize)
        return try await self.pool.withConnection { connection in
            guard let blob = try connection.query("SELECT size FROM test_blobs WHERE sha256 = $1", [sha256]).first else {
                return .notFound
            }
            let size = try blob.decode("size", as: Int64.self)
            guard offset <= size else { return .offsetPastEnd(totalSize: size) }
            let end = min(size, offset + Int64(length))
            guard end > offset else { return .chunk(data: [], totalSize: size) }
            let rows = try connection.query(
                "SELECT seq, data FROM test_blob_chunks WHERE sha256 = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq",
                [sha256, offset / chunkSize, (end - 1) / chunkSize]
            )
            var data: [UInt8] = []
            data.reserveCapacity(Int(end - offset))
            for row in rows {
                let start = try row.decode("seq", as: Int64.self) * chunkSize
                let bytes = try row.decode("data", as: [UInt8].self)
                let from = Int(max(offset, start) - start), to = Int(min(end, start + Int64(bytes.count)) - start)
                if from < to { data += bytes[from..<to] }
            }
            guard data.count == Int(end - offset) else {
                throw RPCError(.dataLoss, "test file \(Hex.encode(sha256)) is missing chunks")
            }
            return .chunk(data: data, totalSize: size)
        }
    }
}
