import Testing

@testable import JudgeCore

@Suite struct RefereeParserTests {
    func commands(_ chunks: [String], players: Int = 2) throws -> [RefereeCommand] {
        var parser = RefereeParser(players: players)
        var commands: [RefereeCommand] = []
        for chunk in chunks {
            parser.append(Array(chunk.utf8))
            while let command = try parser.next() { commands.append(command) }
        }
        return commands
    }

    @Test func commandsArriveWhicheverWayTheBytesAreCut() throws {
        let stream = "SEND 1 6\nFIRST\nRECV 1\nFRAME 3\n{x}KICK 2 said  rude things\nLOG 0\nEND 1 1 2 0.5\n"
        let expected: [RefereeCommand] = [
            .send(player: 1, payload: Array("FIRST\n".utf8)), .receive(player: 1), .frame(Array("{x}".utf8)),
            .kick(player: 2, reason: "said rude things"), .log([]), .end([(1, 1), (2, 0.5)]),
        ]
        #expect(try self.commands([stream]) == expected)
        #expect(try self.commands(stream.map { String($0) }) == expected, "one byte at a time")
        #expect(try self.commands([String(stream.prefix(9)), String(stream.dropFirst(9))]) == expected, "split inside a payload")
    }

    /// RECV and SEND have a fast path from the bytes; odd spacing goes the general way, same result.
    @Test func theFastPathAndTheGeneralPathAgree() throws {
        #expect(try self.commands(["RECV 2\n", "RECV  2 \n"]) == [.receive(player: 2), .receive(player: 2)])
        #expect(try self.commands(["SEND 2 1\nx", "SEND  2  1\ny"]) == [.send(player: 2, payload: [UInt8(ascii: "x")]), .send(player: 2, payload: [UInt8(ascii: "y")])])
        #expect(throws: RefereeProtocolError.self) { _ = try self.commands(["RECV 12345678901\n"]) }
    }

    @Test func aPayloadMayHoldNewlinesAndCommandWords() throws {
        #expect(try self.commands(["SEND 2 12\nRECV 1\nEND \n"]) == [.send(player: 2, payload: Array("RECV 1\nEND \n".utf8))])
    }

    @Test(arguments: [
        ("RECV 0\n", "no player 0"), ("RECV 3\n", "no player 3"), ("SEND 1 -4\n", "a payload length"), ("SEND 1\n", "malformed"),
        ("END 1 1\n", "END needs a rank and a score"), ("END 1 x 2 0\n", "malformed"), ("END 3 1 1 0\n", "malformed"),
        ("HELLO\n", "unknown command HELLO"), ("\n", "an empty command line"), ("FRAME 99999999999\n", "a payload length"),
    ])
    func brokenCommandsAreTheRefereesFault(_ stream: String, _ message: String) {
        #expect {
            _ = try self.commands([stream])
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aLineWithoutEndIsRefusedOnceTooLong() throws {
        #expect(throws: RefereeProtocolError.self) {
            _ = try self.commands([String(repeating: "x", count: RefereeParser.maximumLine + 1)])
        }
        #expect(try self.commands([String(repeating: "x", count: 100)]).isEmpty, "a short partial line just waits")
    }
}

@Suite struct MatchRankingTests {
    func player(_ rank: Int, _ status: PlayerResult.Status = .ok) -> PlayerResult {
        PlayerResult(rank: rank, score: 0, status: status, cpuMilliseconds: 0, peakMemoryKilobytes: 0, log: "")
    }

    @Test func botsThatWentOutRankBelowTheRest() {
        let ranked = JudgeEngine.ranked([self.player(1, .timeout), self.player(2), self.player(3, .crash("")), self.player(2)])
        #expect(ranked.map(\.rank) == [3, 1, 4, 1])
    }

    @Test func theRefereesOrderAndTiesStand() {
        #expect(JudgeEngine.ranked([self.player(2), self.player(1), self.player(1)]).map(\.rank) == [3, 1, 1])
        #expect(JudgeEngine.ranked([self.player(1, .kicked("x")), self.player(1, .overflow)]).map(\.rank) == [1, 1])
    }
}
