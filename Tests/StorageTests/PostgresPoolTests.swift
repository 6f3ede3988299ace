import NIOCore
import NIOPosix
import Testing

@testable import ServiceKit

@Suite("Postgres: pool")
struct PostgresPoolTests {
    @Test("ping answers with the server version")
    func ping() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            let version = try await pool.ping()
            #expect(version.hasPrefix("PostgreSQL 15."), "got \(version)")
        }
    }

    @Test("200 concurrent queries through a pool of 4 all succeed on at most 4 connections")
    func concurrency() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 4)) { pool in
            let results = try await withThrowingTaskGroup(of: (Int, Int, Int32).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let row = try await pool.query("SELECT $1 * 2 AS doubled, pg_backend_pid() AS pid", [index])[0]
                        return (index, try row.decode("doubled", as: Int.self), try row.decode("pid", as: Int32.self))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0.0 * 2 == $0.1 })
            #expect(Set(results.map(\.2)).count <= 4)
            #expect(pool.threadCount <= 4)
        }
    }

    @Test("libpq runs on the pool's dedicated threads, never on an event loop")
    func dedicatedThreads() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 2)) { pool in
            let executor = EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())
            let observed = try await Task(executorPreference: executor) {
                let callerOnLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
                let inside = try await pool.withConnection { connection in
                    _ = try connection.query("SELECT 1 AS one")
                    return (MultiThreadedEventLoopGroup.currentEventLoop == nil, BlockingThread.currentName)
                }
                return (callerOnLoop, inside.0, inside.1, MultiThreadedEventLoopGroup.currentEventLoop != nil)
            }.value
            #expect(observed.0, "the caller should run on the event loop, like an RPC handler")
            #expect(observed.1, "the body must not run on an event loop")
            #expect(observed.2.hasPrefix("pg-"), "thread was \(observed.2)")
            #expect(observed.3, "the caller should resume on its event loop")
        }
    }

    @Test("withTransaction commits, and rolls back on a thrown or swallowed error")
    func transactions() async throws {
        struct Abort: Error {}
        let table = "users.\(TestServers.unique("tx"))"
        try await withPostgres(try TestServers.postgres(poolSize: 2)) { pool in
            try await pool.execute("CREATE TABLE \(table) (name text PRIMARY KEY)")
            let committed = try await pool.withTransaction { connection in
                try connection.execute("INSERT INTO \(table) VALUES ($1)", ["kept"])
            }
            #expect(committed == 1)
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["thrown"])
                    throw Abort()
                }
            }
            // The body catches the duplicate-key error itself: the transaction is aborted anyway.
            await #expect { try await pool.withTransaction { connection in
                try connection.execute("INSERT INTO \(table) VALUES ($1)", ["swallowed"])
                _ = try? connection.execute("INSERT INTO \(table) VALUES ($1)", ["kept"])
            } } throws: { ($0 as? PostgresError)?.sqlState == "25P02" }
            // A transaction left open by withConnection is rolled back before the next caller.
            try await pool.withConnection { connection in
                try connection.executeScript("BEGIN")
                try connection.execute("INSERT INTO \(table) VALUES ($1)", ["left open"])
            }
            let names = try await pool.query("SELECT name FROM \(table) ORDER BY name").map { try $0.decode("name", as: String.self) }
            #expect(names == ["kept"])
            try await pool.execute("DROP TABLE \(table)")
        }
    }

    @Test("a connection killed with pg_terminate_backend is replaced on next use")
    func reconnectAfterTermination() async throws {
        try await withPostgres(try TestServers.admin()) { admin in
            try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
                let first = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
                let terminated = try await admin.query("SELECT pg_terminate_backend($1, 5000) AS ok", [first])
                #expect(try terminated[0].decode("ok", as: Bool.self))
                // The idle connection's socket shows the server closed it: reconnect before the query.
                let second = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
                #expect(second != first)

                // Broken in the middle of a call: that call fails as .connectionFailure, the next one works.
                await #expect { try await pool.query("SELECT pg_terminate_backend(pg_backend_pid())") } throws: {
                    ($0 as? PostgresError)?.kind == .connectionFailure
                }
                let third = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
                #expect(third != second)
            }
        }
    }

    @Test("an unreachable server fails fast with .connectionFailure")
    func unreachable() async throws {
        var configuration = DatabaseConfiguration(url: "postgres://nobody:pw@127.0.0.1:1/algosports")
        configuration.poolSize = 2
        try await withPostgres(PostgresPool(configuration: configuration, logger: TestServers.quietLogger)) { pool in
            let (_, elapsed) = await measure {
                for _ in 0..<20 {
                    await #expect { try await pool.query("SELECT 1") } throws: { error in
                        let error = try #require(error as? PostgresError)
                        return error.kind == .connectionFailure && !error.description.contains("pw@")
                    }
                }
            }
            #expect(elapsed < .seconds(10), "fails on the refused connection, not after a long time-out")
        }
    }

    @Test("a cancelled call still waiting for a connection is dropped at once")
    func cancelQueued() async throws {
        try await withPostgres(try TestServers.postgres(poolSize: 1)) { pool in
            let busy = Task { try await pool.query("SELECT pg_sleep(1.5)") }
            try await Task.sleep(for: .milliseconds(100))
            let waiting = Task { try await pool.query("SELECT 1 AS one") }
            try await Task.sleep(for: .milliseconds(50))
            let (result, elapsed) = await measure {
                waiting.cancel()
                return await waiting.result
            }
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(elapsed < .seconds(1), "it must not wait for the running query")
            _ = try await busy.value
            #expect(try await pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test("after close calls fail with .connectionFailure; run() closes on shutdown")
    func close() async throws {
        let pool = try TestServers.postgres(poolSize: 2)
        _ = try await pool.query("SELECT 1")
        let service = Task { try await pool.run() }
        service.cancel()  // graceful shutdown is also how cancellation reaches run()
        try await service.value
        #expect(pool.threadCount == 0)
        await #expect { try await pool.query("SELECT 1") } throws: { ($0 as? PostgresError)?.kind == .connectionFailure }
    }
}
