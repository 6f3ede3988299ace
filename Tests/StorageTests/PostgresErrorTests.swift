import Testing

@testable import ServiceKit

@Suite("Postgres: errors")
struct PostgresErrorTests {
    @Test("a duplicate key is .uniqueViolation naming the constraint, without the value")
    func uniqueViolation() async throws {
        let name = TestServers.unique("uv")
        try await withPostgres(try TestServers.postgres()) { pool in
            try await pool.execute("CREATE TABLE users.\(name) (email text CONSTRAINT \(name)_email_key UNIQUE)")
            try await pool.execute("INSERT INTO users.\(name) (email) VALUES ($1)", ["secret@example.com"])
            await #expect { try await pool.execute("INSERT INTO users.\(name) (email) VALUES ($1)", ["secret@example.com"]) } throws: { error in
                let error = try #require(error as? PostgresError)
                return error.kind == .uniqueViolation && error.sqlState == "23505" && error.constraint == "\(name)_email_key"
                    && !error.description.contains("secret@example.com") && error.description.contains("\(name)_email_key")
            }
            try await pool.execute("DROP TABLE users.\(name)")
        }
    }

    @Test("kinds follow the SQLSTATE: not null, check, foreign key, undefined table, syntax")
    func kinds() async throws {
        let parent = TestServers.unique("parent")
        let child = TestServers.unique("child")
        try await withPostgres(try TestServers.postgres()) { pool in
            try await pool.execute("CREATE TABLE users.\(parent) (id int PRIMARY KEY)")
            try await pool.execute("CREATE TABLE users.\(child) (id int NOT NULL CHECK (id > 0), parent int REFERENCES users.\(parent))")
            func kind(_ sql: String, _ binds: [any PostgresBindable] = []) async -> PostgresError.Kind? {
                do {
                    try await pool.execute(sql, binds)
                    return nil
                } catch {
                    return (error as? PostgresError)?.kind
                }
            }
            #expect(await kind("INSERT INTO users.\(child) (id) VALUES ($1)", [Int32?.none]) == .notNullViolation)
            #expect(await kind("INSERT INTO users.\(child) (id) VALUES ($1)", [Int32(-1)]) == .checkViolation)
            #expect(await kind("INSERT INTO users.\(child) (id, parent) VALUES (1, $1)", [Int32(99)]) == .foreignKeyViolation)
            #expect(await kind("SELECT * FROM users.no_such_table_here") == .undefinedTable)
            #expect(await kind("SELEC 1") == .syntaxError)
            #expect(await kind("SELECT 1/0") == .other)
            try await pool.execute("DROP TABLE users.\(child), users.\(parent)")
        }
    }

    @Test("data-exception messages do not carry the bound value into logs")
    func redactedValues() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            await #expect { try await pool.query("SELECT $1::int AS n", ["s3cret-value"]) } throws: { error in
                let error = try #require(error as? PostgresError)
                return error.sqlState == "22P02" && !error.description.contains("s3cret-value") && !error.message.contains("s3cret-value")
            }
        }
    }

    @Test("role isolation: users_svc cannot read a table of schema submissions")
    func roleIsolation() async throws {
        let table = "submissions.\(TestServers.unique("isolated"))"
        try await withPostgres(try TestServers.postgres("DATABASE_URL_SUBMISSIONS", poolSize: 1)) { submissions in
            try await submissions.execute("CREATE TABLE \(table) (id int)")
            try await submissions.execute("INSERT INTO \(table) VALUES (1)")
            try await withPostgres(try TestServers.postgres("DATABASE_URL_USERS", poolSize: 1)) { users in
                await #expect { try await users.query("SELECT * FROM \(table)") } throws: {
                    ($0 as? PostgresError)?.kind == .insufficientPrivilege
                }
                await #expect { try await users.execute("CREATE TABLE public.\(TestServers.unique("nope")) (id int)") } throws: {
                    ($0 as? PostgresError)?.kind == .insufficientPrivilege
                }
                // Unqualified names resolve in the role's own schema.
                let path = try await users.query("SHOW search_path")
                #expect(try path[0].decode("search_path", as: String.self) == "users")
            }
            try await submissions.execute("DROP TABLE \(table)")
        }
    }

    @Test("a statement over statement_timeout is .queryCanceled and the connection stays usable")
    func statementTimeout() async throws {
        var configuration = DatabaseConfiguration(url: try TestServers.url("DATABASE_URL_USERS"))
        configuration.poolSize = 1
        configuration.statementTimeout = .milliseconds(200)
        try await withPostgres(PostgresPool(configuration: configuration, logger: TestServers.quietLogger)) { pool in
            let before = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            let (_, elapsed) = await measure {
                await #expect { try await pool.query("SELECT pg_sleep(3)") } throws: { ($0 as? PostgresError)?.kind == .queryCanceled }
            }
            #expect(elapsed < .seconds(2))
            let after = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int32.self)
            #expect(before == after)
        }
    }

    @Test("NOTICEs go to the logger at debug level, not to stderr")
    func notices() async throws {
        let logs = CapturedLogs()
        try await withPostgres(try TestServers.postgres(poolSize: 1, logger: logs.logger)) { pool in
            try await pool.withConnection { try $0.executeScript("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql %', 42; END $$") }
        }
        let notices = logs.entries.withLock { $0.filter { $0.message == "postgres notice" } }
        #expect(notices.count == 1)
        #expect(notices.first?.level == .debug)
        #expect(notices.first?.metadata["notice"]?.description == "hello from plpgsql 42")
        #expect(notices.first?.metadata["severity"]?.description == "NOTICE")
    }
}
