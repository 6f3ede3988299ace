import Testing

@testable import ServiceKit

@Suite("Postgres: parameters and decoding")
struct PostgresBindingTests {
    static let strings = [
        "", "plain", "héllo wörld 🌍 日本語 ✓", "'; DROP TABLE users.accounts; --", "Robert'); DROP TABLE students;--",
        "$1", "back\\slash \\x00", "\"double\" 'single'", "line\nbreak\ttab", String(repeating: "long ", count: 2000),
    ]

    @Test("every bindable type round-trips as a parameter, NULL included")
    func roundTrip() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            for text in Self.strings {
                let row = try #require(try await pool.query("SELECT $1::text AS s, length($1::text) AS n", [text]).first)
                #expect(try row.decode("s", as: String.self) == text)
                #expect(try row.decode("n", as: Int.self) == text.unicodeScalars.count)
            }
            let bytes = (0...255).map { UInt8($0) }
            let row = try #require(try await pool.query(
                """
                SELECT $1 AS i, $2 AS i64, $3 AS i32, $4 AS yes, $5 AS no, $6 AS d, $7 AS bytes, $8 AS empty,
                       $9::text AS null_text, $10 AS null_int, $11 AS null_bytes, $12 AS big, $13 AS small
                """,
                [42, Int64.max, Int32.min, true, false, 3.141592653589793, bytes, [UInt8](),
                 String?.none, Int?.none, [UInt8]?.none, Int64.min, Int32.max]
            ).first)
            #expect(try row.decode("i", as: Int.self) == 42)
            #expect(try row.decode("i64", as: Int64.self) == .max)
            #expect(try row.decode("big", as: Int64.self) == .min)
            #expect(try row.decode("i32", as: Int32.self) == .min)
            #expect(try row.decode("small", as: Int32.self) == .max)
            #expect(try row.decode("yes", as: Bool.self) == true)
            #expect(try row.decode("no", as: Bool.self) == false)
            #expect(try row.decode("d", as: Double.self) == 3.141592653589793)
            #expect(try row.decode("bytes", as: [UInt8].self) == bytes)
            #expect(try row.decode("empty", as: [UInt8].self) == [])
            #expect(try row.decode("null_text", as: String?.self) == nil)
            #expect(try row.decode("null_int", as: Int?.self) == nil)
            #expect(try row.decode("null_bytes", as: [UInt8]?.self) == nil)
            #expect(row.isNull("null_text") && !row.isNull("i"))
        }
    }

    @Test("doubles keep their exact value, infinities and NaN")
    func doubles() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            for value in [0.1, -2.5e-300, 1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, 12345678.875] {
                let row = try #require(try await pool.query("SELECT $1 AS d", [value]).first)
                #expect(try row.decode("d", as: Double.self) == value)
            }
            let nan = try #require(try await pool.query("SELECT $1 AS d", [Double.nan]).first)
            #expect(try nan.decode("d", as: Double.self).isNaN)
        }
    }

    @Test("values are stored as data, never as SQL, and read back from a table")
    func storedValues() async throws {
        let table = "users.\(TestServers.unique("binds"))"
        try await withPostgres(try TestServers.postgres()) { pool in
            try await pool.execute("CREATE TABLE \(table) (id bigserial PRIMARY KEY, name text, bio text, avatar bytea, score float8, active bool)")
            for name in Self.strings {
                let inserted = try await pool.execute(
                    "INSERT INTO \(table) (name, bio, avatar, score, active) VALUES ($1, $2, $3, $4, $5)",
                    [name, String?.none, [UInt8]([0, 1, 2, 0xff]), 1.5, true]
                )
                #expect(inserted == 1)
            }
            let rows = try await pool.query("SELECT name, bio, avatar, score, active FROM \(table) ORDER BY id")
            #expect(try rows.map { try $0.decode("name", as: String.self) } == Self.strings)
            #expect(try rows.allSatisfy { try $0.decode("bio", as: String?.self) == nil })
            #expect(try rows[0].decode("avatar", as: [UInt8].self) == [0, 1, 2, 0xff])
            // The injection-looking strings did nothing: the table is still there, with every row.
            let count = try await pool.query("SELECT count(*) AS n FROM \(table) WHERE name = $1", ["'; DROP TABLE users.accounts; --"])
            #expect(try count[0].decode("n", as: Int.self) == 1)
            #expect(try await pool.execute("UPDATE \(table) SET active = $1 WHERE score > $2", [false, 1.0]) == Self.strings.count)
            try await pool.execute("DROP TABLE \(table)")
        }
    }

    @Test("timestamps decode as Unix milliseconds with the documented SQL convention")
    func timestamps() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            let row = try #require(try await pool.query(
                "SELECT (extract(epoch from timestamptz '2024-01-02 03:04:05.678+00')*1000)::bigint AS at_ms"
            ).first)
            #expect(try row.decode("at_ms", as: Int64.self) == 1_704_164_645_678)
        }
    }

    @Test("wrong types, NULLs and missing columns throw clear decoding errors")
    func decodingErrors() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            let row = try #require(try await pool.query("SELECT 'alice'::text AS name, NULL::text AS bio, 5000000000::bigint AS big, '\\x01'::bytea AS b").first)
            #expect(row.columnNames == ["name", "bio", "big", "b"])
            #expect { try row.decode("name", as: Int64.self) } throws: { error in
                let error = try #require(error as? PostgresDecodingError)
                return error.column == "name" && error.description.contains("text") && error.description.contains("Int64")
            }
            #expect { try row.decode("bio", as: String.self) } throws: { ($0 as? PostgresDecodingError)?.description.contains("NULL") == true }
            #expect { try row.decode("missing", as: String.self) } throws: { ($0 as? PostgresDecodingError)?.description.contains("no such column") == true }
            #expect { try row.decode("big", as: Int32.self) } throws: { $0 is PostgresDecodingError }
            #expect { try row.decode("b", as: String.self) } throws: { $0 is PostgresDecodingError }
            #expect { try row.decode("name", as: Bool.self) } throws: { $0 is PostgresDecodingError }
            #expect(try row.decode("big", as: Int.self) == 5_000_000_000)
            #expect(try row.decode("big", as: Double.self) == 5e9)
        }
    }

    @Test("a string parameter with a NUL byte is refused, not truncated")
    func nulByte() async throws {
        try await withPostgres(try TestServers.postgres()) { pool in
            await #expect { try await pool.query("SELECT $1::text AS s", ["before\u{0}after"]) } throws: {
                ($0 as? PostgresError)?.sqlState == "22021"
            }
        }
    }
}
