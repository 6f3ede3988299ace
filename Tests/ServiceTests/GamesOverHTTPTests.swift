import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Games as users meet them: Edge over HTTP in front of the real services, the judge and the
/// sandbox; the shipped games created by `make run`'s seeding script.
@Suite("Games over HTTP", .serialized)
struct GamesOverHTTPTests {
    @Test("the shipped games are seeded over HTTP; two users' bots play a challenge, streamed live, with replay and logs")
    func challengeOverHTTP() async throws {
        try await JudgingStack.with { stack in
            try stack.startJudge()
            let edge = try EdgeFront(stack: stack)
            defer { edge.stop() }
            _ = try await edge.login(edge.adminUser, edge.adminPassword)

            // make run's seeding, twice: the second run finds the games and changes nothing.
            for _ in 0..<2 {
                let (status, output) = try Self.seed(edge)
                #expect(status == 0, "\(output)")
            }
            let game = try await edge.send("GET", "/api/v1/games/connect-four")
            #expect(game.status == 200, "\(game.text)")
            let versions = try #require(game.json["versions"] as? [[String: Any]])
            #expect(versions.count == 1 && versions.first?["version"] as? String == "1.0.0")
            #expect(versions.first?["referee_source"] == nil)
            let rooms = try #require(game.json["rooms"] as? [[String: Any]])
            let general = try #require(rooms.first { $0["kind"] as? String == "general" }?["id"] as? Int)
            #expect(rooms.count == 3)

            let (alice, aliceName) = try await Self.register(edge)
            let (bob, bobName) = try await Self.register(edge)
            let smart = try String(contentsOfFile: JudgingStack.gamesRoot + "/connect-four/bots/c/smart.c", encoding: .utf8)
            let random = try String(contentsOfFile: JudgingStack.gamesRoot + "/connect-four/bots/python/random.py", encoding: .utf8)
            let aliceBot = try await edge.send("POST", "/api/v1/rooms/\(general)/bots", token: alice, json: ["language": "c", "source": smart])
            #expect(aliceBot.status == 201, "\(aliceBot.text)")
            let bobBot = try await edge.send("POST", "/api/v1/rooms/\(general)/bots", token: bob, json: ["language": "python", "source": random])
            let bobBotID = try #require(bobBot.json["id"] as? Int)
            #expect(try await edge.send("POST", "/api/v1/rooms/\(general)/bots", json: ["language": "c", "source": smart]).status == 401)

            // The source is the owner's.
            #expect(try await edge.send("GET", "/api/v1/bots/\(bobBotID)", token: bob).json["source"] as? String == random)
            #expect(try await edge.send("GET", "/api/v1/bots/\(bobBotID)", token: alice).json["source"] == nil)

            let created = try await edge.send("POST", "/api/v1/matches", token: alice, json: ["room_id": general, "opponents": [bobBotID], "seed": "12345"])
            #expect(created.status == 201, "\(created.text)")
            let matchID = try #require(created.json["id"] as? Int)
            let stream = try await edge.send("GET", "/api/v1/matches/\(matchID)/events", token: alice)
            #expect(stream.status == 200 && stream.text.contains("event: done"), "\(stream.text)")

            let match = try await edge.send("GET", "/api/v1/matches/\(matchID)")
            #expect(match.json["status"] as? String == "done" && match.json["seed"] as? String == "12345", "\(match.text)")
            let players = try #require(match.json["players"] as? [[String: Any]])
            #expect(players.first { $0["bot_id"] as? Int == bobBotID }?["rank"] as? Int == 2, "\(players)")
            #expect(!match.text.contains("\"log\""))

            let (status, response, body) = try await edge.fetch("GET", "/api/v1/matches/\(matchID)/replay")
            #expect(status == 200 && response?.value(forHTTPHeaderField: "Content-Type") == "application/gzip")
            let replay = try JSONSerialization.jsonObject(with: Data(try GamesEndToEndTests.gunzip(Array(body)))) as? [String: Any]
            #expect(replay?["game"] as? String == "connect-four" && replay?["seed"] as? String == "12345")

            let logs = try await edge.send("GET", "/api/v1/matches/\(matchID)/logs", token: bob)
            let entries = try #require(logs.json["items"] as? [[String: Any]], "\(logs.text)")
            #expect(entries.map { $0["bot_id"] as? Int } == [bobBotID])
            #expect(try await edge.send("GET", "/api/v1/matches/\(matchID)/logs").status == 401)

            let stats = try await edge.send("GET", "/api/v1/users/\(aliceName)/stats")
            #expect(stats.json["games"] as? Int == 1 && stats.json["wins"] as? Int == 1, "\(stats.status) \(stats.text)")
            #expect(try await edge.send("GET", "/api/v1/users/\(bobName)/stats").json["wins"] as? Int == 0)
        }
    }

    static func register(_ edge: EdgeFront) async throws -> (token: String, username: String) {
        let name = "g\(UInt32.random(in: 0...UInt32.max))"
        let registered = try await edge.send("POST", "/api/v1/auth/register", json: ["username": name, "email": "\(name)@example.com", "password": "correct horse battery"])
        #expect(registered.status == 201, "\(registered.text)")
        return (try await edge.login(name, "correct horse battery"), name)
    }

    /// Runs tools/seed-games.py against the Edge; returns its exit status and output.
    static func seed(_ edge: EdgeFront) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [JudgingStack.gamesRoot + "/../tools/seed-games.py", "http://127.0.0.1:\(edge.port)", edge.adminUser, edge.adminPassword]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
