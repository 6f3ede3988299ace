import Foundation
import Testing

@testable import ServiceKit

@Suite("Postgres: migrations")
struct MigrationTests {
    /// A schema of its own (created by the superuser, owned by problems_svc), dropped afterwards.
    func withScratchSchema(_ body: (String, PostgresPool) async throws -> Void) async throws {
        let schema = TestServers.unique("mig")
        try await withPostgres(try TestServers.admin()) { admin in
            try await admin.execute("CREATE SCHEMA \(schema) AUTHORIZATION problems_svc")
            do {
                try await withPostgres(try TestServers.postgres("DATABASE_URL_PROBLEMS", poolSize: 4)) { try await body(schema, $0) }
            } catch {
                try await admin.execute("DROP SCHEMA \(schema) CASCADE")
                throw error
            }
            try await admin.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }

    func migrations(_ schema: String) -> [Migration] {
        [
            Migration(version: 1, name: "create_items", sql: "CREATE TABLE \(schema).items (id bigserial PRIMARY KEY, name text NOT NULL);", file: "0001_create_items.sql"),
            Migration(version: 2, name: "seed", sql: """
                INSERT INTO \(schema).items (name) VALUES ('first');
                ALTER TABLE \(schema).items ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
                """, file: "0002_seed.sql"),
        ]
    }

    func tables(_ schema: String, _ pool: PostgresPool) async throws -> [String] {
        try await pool.query("SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", [schema])
            .map { try $0.decode("tablename", as: String.self) }
    }

    @Test("load reads NNNN_name.sql sorted by version and ignores other files")
    func load() throws {
        let directory = try Self.directory(["0002_second.sql": "SELECT 2;", "0001_first.sql": "SELECT 1;", "10_tenth.sql": "SELECT 10;", "README.md": "notes"])
        let loaded = try Migrations.load(directory: directory)
        #expect(loaded.map(\.version) == [1, 2, 10])
        #expect(loaded.map(\.name) == ["first", "second", "tenth"])
        #expect(loaded.map(\.file) == ["0001_first.sql", "0002_second.sql", "10_tenth.sql"])
        #expect(loaded[0].sql == "SELECT 1;")
    }

    @Test("load refuses malformed names and duplicate versions", arguments: [
        ["create.sql": ""], ["0001-create.sql": ""], ["0001_.sql": ""], ["v1_create.sql": ""],
        ["0001_a.sql": "", "1_b.sql": ""],
    ])
    func loadRefuses(files: [String: String]) throws {
        let directory = try Self.directory(files)
        #expect(throws: MigrationError.self) { try Migrations.load(directory: directory) }
    }

    @Test("two concurrent apply() calls apply each migration once; a rerun is a no-op")
    func concurrentApply() async throws {
        try await withScratchSchema { schema, pool in
            let migrations = self.migrations(schema)
            async let first: Void = Migrations.apply(migrations, schema: schema, pool: pool, logger: TestServers.quietLogger)
            async let second: Void = Migrations.apply(migrations, schema: schema, pool: pool, logger: TestServers.quietLogger)
            _ = try await (first, second)
            let recorded = try await pool.query("SELECT version, name, applied_at FROM \(schema).schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode("version", as: Int.self) } == [1, 2])
            #expect(try recorded.map { try $0.decode("name", as: String.self) } == ["create_items", "seed"])
            #expect(try await pool.query("SELECT count(*) AS n FROM \(schema).items")[0].decode("n", as: Int.self) == 1)

            let before = try recorded.map { try $0.decode("applied_at", as: String.self) }
            try await Migrations.apply(migrations, schema: schema, pool: pool, logger: TestServers.quietLogger)
            let after = try await pool.query("SELECT applied_at FROM \(schema).schema_migrations ORDER BY version")
            #expect(try after.map { try $0.decode("applied_at", as: String.self) } == before)
            #expect(try await pool.query("SELECT count(*) AS n FROM \(schema).items")[0].decode("n", as: Int.self) == 1)

            // A later migration is applied on its own.
            let third = Migration(version: 3, name: "index", sql: "CREATE INDEX items_name ON \(schema).items (name)", file: "0003_index.sql")
            try await Migrations.apply(migrations + [third], schema: schema, pool: pool, logger: TestServers.quietLogger)
            #expect(try await pool.query("SELECT count(*) AS n FROM \(schema).schema_migrations")[0].decode("n", as: Int.self) == 3)
        }
    }

    @Test("a broken migration rolls everything back and names its file and the server's message")
    func brokenMigration() async throws {
        try await withScratchSchema { schema, pool in
            let broken = Migration(version: 3, name: "broken", sql: "CREATE TABLE \(schema).other (id int); SELEC oops;", file: "0003_broken.sql")
            await #expect { try await Migrations.apply(self.migrations(schema) + [broken], schema: schema, pool: pool, logger: TestServers.quietLogger) } throws: { error in
                let error = try #require(error as? MigrationError)
                return error.file == "0003_broken.sql" && error.description.contains("0003_broken.sql")
                    && error.description.contains("syntax error") && error.underlying?.kind == .syntaxError
            }
            #expect(try await self.tables(schema, pool) == [], "not even schema_migrations may remain")

            // Fixed, it applies from scratch.
            try await Migrations.apply(self.migrations(schema), schema: schema, pool: pool, logger: TestServers.quietLogger)
            #expect(try await self.tables(schema, pool) == ["items", "schema_migrations"])
        }
    }

    @Test("a migration that commits on its own is refused")
    func committingMigration() async throws {
        try await withScratchSchema { schema, pool in
            let sneaky = Migration(version: 1, name: "sneaky", sql: "CREATE TABLE \(schema).t (id int); COMMIT;", file: "0001_sneaky.sql")
            await #expect { try await Migrations.apply([sneaky], schema: schema, pool: pool, logger: TestServers.quietLogger) } throws: {
                ($0 as? MigrationError)?.file == "0001_sneaky.sql"
            }
        }
    }

    static func directory(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + TestServers.unique("migrations")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8)
        }
        return path
    }
}
