import AlgoProto
import NIOCore
import RPC
import Testing

/// Exact bytes, computed by hand from the protobuf encoding rules.
@Suite("Wire format")
struct WireFormatTests {
    @Test func scalarsAndStrings() {
        let page = CommonV1.PageRequest.with {
            $0.pageSize = 150
            $0.pageToken = "a"
        }
        #expect(page.bytes == [0x08, 0x96, 0x01, 0x12, 0x01, 0x61])
    }

    @Test("a present default value is written; an absent one is not")
    func presence() throws {
        #expect(CommonV1.PageInfo.with { $0.total = 0 }.bytes == [0x10, 0x00])
        #expect(CommonV1.PageInfo().bytes == [])
        #expect(try CommonV1.PageInfo(serializedBytes: [0x10, 0x00]).total == 0)
        #expect(try CommonV1.PageInfo(serializedBytes: []).total == nil)

        let clear = UsersV1.UpdateProfileRequest.with { $0.bio = "" }
        let keep = UsersV1.UpdateProfileRequest()
        #expect(clear.bytes != keep.bytes)
        #expect(try UsersV1.UpdateProfileRequest(serializedBytes: clear.bytes).bio == "")
        #expect(try UsersV1.UpdateProfileRequest(serializedBytes: keep.bytes).bio == nil)
    }

    @Test func packedRepeatedZigzagAndNegativeEnums() {
        #expect(PrototestV1.AllTypes.with { $0.rInt32 = [1, 2] }.bytes == [0xCA, 0x01, 0x02, 0x01, 0x02])
        #expect(PrototestV1.AllTypes.with { $0.fSint32 = -1 }.bytes == [0x70, 0x01])
        // Enums are int32 on the wire: negative values take ten bytes.
        #expect(
            PrototestV1.AllTypes.with { $0.fEnum = .negative }.bytes
                == [0x80, 0x01, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        )
    }

    @Test("enum values this build does not know survive a round trip")
    func unknownEnumValues() throws {
        for raw: Int32 in [42, -7, Int32.max, Int32.min] {
            let user = UsersV1.User.with { $0.role = UsersV1.Role(rawValue: raw) }
            let decoded = try UsersV1.User(decoding: user.encoded())
            #expect(decoded.role.rawValue == raw)
            #expect(decoded.role.description == "Role(\(raw))")
        }
        let all = PrototestV1.AllTypes.with {
            $0.rEnum = [.init(rawValue: 1000), .dark, .init(rawValue: -1000)]
            $0.oEnum = .init(rawValue: 77)
            $0.choice = .cEnum(.init(rawValue: 99))
        }
        #expect(try PrototestV1.AllTypes(decoding: all.encoded()) == all)
        #expect(PrototestV1.Shade.bright == .light)
        #expect(PrototestV1.Shade.light.description == "SHADE_LIGHT")
    }

    @Test("of two members of a oneof on the wire, the last one wins")
    func oneofLastWins() throws {
        // c_string (51) = "x", then c_sint64 (53) = 1.
        let decoded = try PrototestV1.AllTypes(serializedBytes: [0x9A, 0x03, 0x01, 0x78, 0xA8, 0x03, 0x02])
        #expect(decoded.choice == .cSint64(1))
    }

    @Test("unknown fields are accepted and dropped")
    func unknownFields() throws {
        // id = 5, then field 99 (varint) = 1.
        let decoded = try UsersV1.User(serializedBytes: [0x08, 0x05, 0x98, 0x06, 0x01])
        #expect(decoded == UsersV1.User.with { $0.id = 5 })
        #expect(decoded.bytes == [0x08, 0x05])
    }

    @Test("protobuf-c does not validate UTF-8: invalid sequences decode as U+FFFD")
    func invalidUTF8() throws {
        let decoded = try UsersV1.User(serializedBytes: [0x12, 0x02, 0x61, 0xFF])
        #expect(decoded.username == "a\u{FFFD}")
    }

    @Test("a string is a C string in protobuf-c: it ends at an embedded NUL")
    func embeddedNUL() throws {
        let user = UsersV1.User.with { $0.username = "ab\u{0}cd" }
        #expect(try UsersV1.User(decoding: user.encoded()).username == "ab")
    }

    @Test("large repeated fields and bytes")
    func largeMessages() throws {
        let message = PrototestV1.AllTypes.with {
            $0.rInt64 = (0..<100_000).map { Int64($0) * 1_000_003 - 50_000_000_000 }
            $0.rString = (0..<10_000).map { "string number \($0)" }
            $0.rMessage = (0..<2_000).map { i in PrototestV1.Leaf.with { $0.label = "leaf \(i)"; $0.weight = Int64(i) } }
            $0.rBool = (0..<50_000).map { $0 % 3 == 0 }
            $0.rDouble = (0..<20_000).map { Double($0) / 7 }
            $0.fBytes = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        }
        let encoded = message.encoded()
        #expect(encoded.readableBytes > 4 << 20)
        let decoded = try PrototestV1.AllTypes(decoding: encoded)
        #expect(decoded == message)

        let ids = UsersV1.GetUsersByIdsRequest.with { $0.userIds = Array(1...200_000) }
        #expect(try UsersV1.GetUsersByIdsRequest(decoding: ids.encoded()) == ids)
    }
}
