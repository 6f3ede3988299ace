import Dispatch
import Testing

@testable import ServiceKit

/// Statements queued behind a busy connection leave in one pipeline; each must still behave as if
/// it ran alone. Each test holds a one-connection pool's connection, queues calls in a known
/// order, then lets go: no timing assumptions.
@Suite("Postgres: pipelining")
struct PostgresPipelineTests {
    /// Holds the pool's connection until `release()`.
    struct Hold {
        let gate: DispatchSemaphore
        let task: Task<Void, any Error>

        func release() async throws {
            self.gate.signal()
            try await self.task.value
        }
    }

    /// Runs `body` while the pool's connection is held; `body` releases it. Released on errors too,
    /// so that a failing test cannot leave the pool's thread blocked (and the suite hanging).
    private func holding(_ pool: PostgresPool, _ body: (Hold) async throws -> Void) async throws {
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        // Blocking here is fine: this is the pool's own thread, not a cooperative one.
        let task = Task { try await pool.withConnection { _ in started.signal(); gate.wait() } }
        do {
            try await self.until { started.wait(timeout: .now()) == .success }
            try await body(Hold(gate: gate, task: task))
        } catch {
            gate.signal()
            throw error
        }
    }

    /// Starts `body` and returns once it waits in the pool's queue, so calls queue in the order started.
    private func queued<T: Sendable>(_ pool: PostgresPool, _ body: @escaping @Sendable () async throws -> T) async throws -> Task<T, any Error> {
        let before = pool.queuedCalls
        let task = Task { try await body() }
        try await self.until { pool.queuedCalls > before }
        return task
    }

    /// Polls `condition` (evaluated until it first holds) for up to 10 s.
    private func until(_ condition: () -> Bool) async throws {
        for _ in 0..<2000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        struct TimedOut: Error {}
        throw TimedOut()
    }

    @Test("statements queued behind a busy connection run as one pipeline, each with its own result")
    func queuedStatementsPipeline() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await self.holding(pool) { hold in
                var tasks: [Task<(Int, String), any Error>] = []
                for index in 0..<20 {
                    tasks.append(try await self.queued(pool) {
                        let row = try await pool.query("SELECT $1 * 3 AS tripled, $2 AS label", [index, "n\(index)"])[0]
                        return (try row.decode("tripled", as: Int.self), try row.decode("label", as: String.self))
                    })
                }
                try await hold.release()
                for (index, task) in tasks.enumerated() {
                    let (tripled, label) = try await task.value
                    #expect(tripled == index * 3 && label == "n\(index)")
                }
                #expect(pool.pipelineStatistics == .init(pipelines: 1, statements: 20))
            }
        }
    }

    @Test("a pipeline holds at most 32 statements; the rest follow in the next one")
    func pipelinesAreCapped() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await self.holding(pool) { hold in
                var tasks: [Task<Int, any Error>] = []
                for index in 0..<40 {
                    tasks.append(try await self.queued(pool) { try await pool.query("SELECT $1 AS n", [index])[0].decode("n", as: Int.self) })
                }
                try await hold.release()
                for (index, task) in tasks.enumerated() {
                    #expect(try await task.value == index)
                }
                #expect(pool.pipelineStatistics == .init(pipelines: 2, statements: 40))
            }
        }
    }

    @Test("a failing statement in a pipeline fails alone; the statements around it commit")
    func failureStaysAlone() async throws {
        let table = "users.\(TestServers.unique("pipe"))"
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await pool.execute("CREATE TABLE \(table) (name text PRIMARY KEY)")
            try await self.holding(pool) { hold in
                let first = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES ($1)", ["a"]) }
                let duplicate = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES ($1)", ["a"]) }
                let nul = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES ($1)", ["x\u{0}y"]) }
                let broken = try await self.queued(pool) { try await pool.query("SELECT nonsense FROM \(table)") }
                let last = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES ($1)", ["b"]) }
                try await hold.release()

                #expect(try await first.value == 1)
                await #expect { try await duplicate.value } throws: { ($0 as? PostgresError)?.kind == .uniqueViolation }
                await #expect { try await nul.value } throws: { ($0 as? PostgresError)?.sqlState == "22021" }
                await #expect { try await broken.value } throws: { ($0 as? PostgresError)?.sqlState == "42703" }
                #expect(try await last.value == 1)
                #expect(pool.pipelineStatistics == .init(pipelines: 1, statements: 5))
                let names = try await pool.query("SELECT name FROM \(table) ORDER BY name").map { try $0.decode("name", as: String.self) }
                #expect(names == ["a", "b"])
                try await pool.execute("DROP TABLE \(table)")
            }
        }
    }

    @Test("statements cancelled while queued are left out of the pipeline; the others run")
    func cancelledLeftOut() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await self.holding(pool) { hold in
                var tasks: [Task<Int, any Error>] = []
                for index in 0..<5 {
                    tasks.append(try await self.queued(pool) { try await pool.query("SELECT $1 AS n", [index])[0].decode("n", as: Int.self) })
                }
                tasks[1].cancel()
                tasks[3].cancel()
                try await self.until { pool.queuedCalls == 3 }
                try await hold.release()
                for index in [0, 2, 4] {
                    #expect(try await tasks[index].value == index)
                }
                for index in [1, 3] {
                    await #expect(throws: CancellationError.self) { try await tasks[index].value }
                }
                #expect(pool.pipelineStatistics == .init(pipelines: 1, statements: 3))
            }
        }
    }

    @Test("a transaction queued between statements runs on its own, in order")
    func transactionBreaksPipeline() async throws {
        let table = "users.\(TestServers.unique("pipetx"))"
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await pool.execute("CREATE TABLE \(table) (step int)")
            try await self.holding(pool) { hold in
                let before = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES (1)") }
                let transaction = try await self.queued(pool) {
                    try await pool.withTransaction { connection in
                        try connection.execute("INSERT INTO \(table) VALUES (2)")
                        return try connection.query("SELECT count(*)::int AS n FROM \(table)")[0].decode("n", as: Int.self)
                    }
                }
                let after = try await self.queued(pool) { try await pool.execute("INSERT INTO \(table) VALUES (3)") }
                try await hold.release()
                #expect(try await before.value == 1)
                #expect(try await transaction.value == 2, "the statement queued before it ran first")
                #expect(try await after.value == 1)
                #expect(pool.pipelineStatistics.pipelines == 0, "no two statements were next to each other")
                try await pool.execute("DROP TABLE \(table)")
            }
        }
    }

    @Test("the connection dying mid-pipeline fails that statement and the ones after it as connection failures; the pool recovers")
    func connectionDiesMidPipeline() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            try await self.holding(pool) { hold in
                let before = try await self.queued(pool) { try await pool.query("SELECT 1 AS n")[0].decode("n", as: Int.self) }
                let killer = try await self.queued(pool) { try await pool.query("SELECT pg_terminate_backend(pg_backend_pid())") }
                let after = [
                    try await self.queued(pool) { try await pool.query("SELECT 2 AS n")[0].decode("n", as: Int.self) },
                    try await self.queued(pool) { try await pool.query("SELECT 3 AS n")[0].decode("n", as: Int.self) },
                ]
                try await hold.release()
                #expect(try await before.value == 1)
                await #expect { try await killer.value } throws: { ($0 as? PostgresError)?.kind == .connectionFailure }
                for task in after {
                    await #expect { try await task.value } throws: { ($0 as? PostgresError)?.kind == .connectionFailure }
                }
                #expect(pool.pipelineStatistics == .init(pipelines: 1, statements: 4))
                #expect(try await pool.query("SELECT 4 AS n")[0].decode("n", as: Int.self) == 4)
            }
        }
    }
}
