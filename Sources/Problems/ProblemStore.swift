import AlgoProto
import RPC
import ServiceKit

/// Problems in the `problems` schema. Every query is parameterized; every call runs on the pool's
/// dedicated threads.
struct ProblemStore: Sendable {
    let pool: PostgresPool

    private static let insertSQL: String = {
        let names = ProblemRow.writtenColumns.map(\.name).joined(separator: ", ")
        let values = ProblemRow.writtenColumns.enumerated().map { "$\($0.offset + 1)\($0.element.cast)" }.joined(separator: ", ")
        return "INSERT INTO problems (\(names)) VALUES (\(values)) RETURNING \(ProblemRow.columns)"
    }()

    /// $1 is the id, $2 the expected revision.
    private static let updateSQL: String = {
        let assignments = ProblemRow.writtenColumns.enumerated().map { "\($0.element.name) = $\($0.offset + 3)\($0.element.cast)" }
        return """
            UPDATE problems SET \(assignments.joined(separator: ", ")), revision = revision + 1, updated_at = now()
            WHERE id = $1 AND revision = $2 RETURNING \(ProblemRow.columns)
            """
    }()

    /// `problem` is validated; ALREADY_EXISTS when its slug is taken.
    func create(_ problem: ProblemsV1.Problem) async throws -> ProblemsV1.Problem {
        let binds = try ProblemRow.binds(problem)
        return try await Self.mapDuplicate {
            try ProblemRow.problem(try await self.pool.query(Self.insertSQL, binds)[0])
        }
    }

    enum UpdateResult: Sendable {
        case updated(ProblemsV1.Problem)
        case notFound
        case revisionMismatch(current: Int64)
    }

    /// Replaces every editable field when the stored revision is `expectedRevision`.
    func update(_ problem: ProblemsV1.Problem, expectedRevision: Int64) async throws -> UpdateResult {
        let binds: [any PostgresBindable] = [problem.id, expectedRevision] + (try ProblemRow.binds(problem))
        return try await Self.mapDuplicate {
            try await self.pool.withConnection { connection in
                if let row = try connection.query(Self.updateSQL, binds).first {
                    return .updated(try ProblemRow.problem(row))
                }
                guard let current = try connection.query("SELECT revision FROM problems WHERE id = $1", [problem.id]).first else {
                    return .notFound
                }
                return .revisionMismatch(current: try current.decode("revision"))
            }
        }
    }

    func find(id: Int64) async throws -> ProblemsV1.Problem? {
        try await self.pool.query("SELECT \(ProblemRow.columns) FROM problems WHERE id = $1", [id]).first.map(ProblemRow.problem)
    }

    func find(slug: String) async throws -> ProblemsV1.Problem? {
        try await self.pool.query("SELECT \(ProblemRow.columns) FROM problems WHERE slug = $1", [slug]).first.map(ProblemRow.problem)
    }

    /// Up to `limit` summaries in id order after `afterID`, matching every filter set in `filter`.
    func list(_ filter: ProblemsV1.ListProblemsRequest, afterID: Int64, limit: Int) async throws -> [ProblemsV1.ProblemSummary] {
        var conditions = ["id > $1"]
        var binds: [any PostgresBindable] = [afterID]
        func bind(_ value: any PostgresBindable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if !filter.tags.isEmpty {
            conditions.append("tags @> \(bind(ProblemRow.arrayLiteral(filter.tags.map { $0.lowercased() })))::text[]")
        }
        if !filter.difficulties.isEmpty {
            let names = filter.difficulties.compactMap(ProblemDocuments.name)
            conditions.append("difficulty = ANY(\(bind(ProblemRow.arrayLiteral(names)))::text[])")
        }
        switch filter.visibility {
        case .public where filter.includeDraftsOf != 0:
            conditions.append("(visibility = 'public' OR \(bind(filter.includeDraftsOf)) = ANY(author_ids))")
        case .public:
            conditions.append("visibility = 'public'")
        case .draft:
            conditions.append("visibility = 'draft'")
        default:
            break
        }
        if !filter.query.isEmpty {
            let query = bind(filter.query.lowercased())
            conditions.append("(strpos(lower(title), \(query)) > 0 OR strpos(slug, \(query)) > 0)")
        }
        if filter.authorId != 0 {
            conditions.append("\(bind(filter.authorId)) = ANY(author_ids)")
        }
        let sql = """
            SELECT \(ProblemRow.summaryColumns) FROM problems WHERE \(conditions.joined(separator: " AND "))
            ORDER BY id LIMIT \(bind(Int64(limit)))
            """
        return try await self.pool.query(sql, binds).map(ProblemRow.summary)
    }

    private static func mapDuplicate<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw RPCError.alreadyExists("slug", "is already taken")
        }
    }
}
