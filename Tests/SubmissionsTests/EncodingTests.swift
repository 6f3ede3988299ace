import AlgoProto
import ServiceKit
import Testing

@testable import Submissions

extension SubmissionsTests {
    @Suite("Encodings")
    struct EncodingTests {
        @Test("text is cut at a character boundary, never inside one")
        func truncation() {
            #expect("abc".truncatedUTF8(maxBytes: 3) == "abc")
            #expect("abcd".truncatedUTF8(maxBytes: 3) == "abc")
            #expect("aé".truncatedUTF8(maxBytes: 2) == "a")  // é is 2 bytes
            #expect("a😀".truncatedUTF8(maxBytes: 4) == "a")  // 😀 is 4 bytes
            #expect("a😀".truncatedUTF8(maxBytes: 5) == "a😀")
            #expect("".truncatedUTF8(maxBytes: 0) == "")
        }

        @Test("page tokens round-trip and anything else is refused")
        func pageTokens() {
            let token = PageToken.encode(lastID: 12_345)
            #expect(PageToken.decode(token) == 12_345)
            for bad in ["", "!!", "czE6", Base64URL.encode(Array("s1:-4".utf8)), Base64URL.encode(Array("s2:7".utf8)), String(repeating: "A", count: 100)] {
                #expect(PageToken.decode(bad) == nil, "\(bad)")
            }
        }

        @Test("stream ids order as Redis orders them")
        func streamIDs() throws {
            let a = try #require(StreamID("1700000000000-5"))
            let b = try #require(StreamID("1700000000000-12"))
            let c = try #require(StreamID("1700000000001-0"))
            #expect(a < b && b < c)
            #expect(StreamID("nope") == nil)
            #expect(StreamID("1-2-3") == nil)
        }

        @Test("array literals survive quotes, backslashes, braces and commas in PostgreSQL")
        func arrayLiterals() async throws {
            let items = ["plain", "a\"b", "c\\d", "{x,y}", "", "NULL", "é ✓"]
            let pool = PostgresPool(
                configuration: DatabaseConfiguration(url: try SubmissionsFixture.environment("DATABASE_URL_SUBMISSIONS")),
                logger: SubmissionsFixture.logger
            )
            let rows = try await pool.query("SELECT unnest($1::text[]) AS item", [postgresArray(items)])
            await pool.close()
            #expect(try rows.map { try $0.decode("item", as: String.self) } == items)
        }
    }
}
