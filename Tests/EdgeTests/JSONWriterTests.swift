import Foundation
import Hummingbird
import Testing

@testable import Edge

@Suite struct JSONWriterTests {
    struct Sample: JSONResponseBody {
        var text: String
        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.field("text", self.text)
            json.field("absent", nil as String?)
            json.field("number", Int64(-42))
            json.key("list")
            json.beginArray()
            for value in ["a", "b"] {
                json.element()
                json.string(value)
            }
            json.endArray()
            json.field("nested", TokenPairResponse(access: "x", refresh: "y"))
            json.endObject()
        }
    }

    @Test(arguments: ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r\u{01}\u{1F}", "ünïcødé ✓ 🎉", ""])
    func roundTripsThroughAJSONParser(text: String) throws {
        var writer = JSONWriter()
        Sample(text: text).write(to: &writer)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(writer.buffer.readableBytesView)) as? [String: Any])
        #expect(parsed["text"] as? String == text)
        #expect(parsed["absent"] == nil)
        #expect(parsed["number"] as? Int == -42)
        #expect(parsed["list"] as? [String] == ["a", "b"])
        #expect((parsed["nested"] as? [String: String]) == ["access": "x", "refresh": "y"])
    }
}
