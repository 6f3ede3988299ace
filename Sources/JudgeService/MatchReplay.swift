import AlgoProto
import Foundation
import JudgeCore
import ServiceKit

/// The replay document of docs/game-protocol.md ("Replays"), as JSON bytes before compression.
enum MatchReplay {
    static let format = 1

    static func json(
        version: ProblemsV1.GameVersion, game: ProblemsV1.Game, seed: UInt64, bots: [SubmissionsV1.MatchBot], result: MatchResult
    ) -> [UInt8] {
        var out = "{\"format\":\(format),\"game\":\(JSONText.quote(game.slug)),\"game_version\":\(JSONText.quote(version.version)),"
        out += "\"referee_sha256\":\(JSONText.quote(version.refereeSha256)),\"seed\":\"\(seed)\",\"players\":["
        out += bots.enumerated().map { "{\"player\":\($0.offset + 1),\"bot\":\($0.element.botId)}" }.joined(separator: ",")
        out += "],\"turns\":\(result.turns),\"frames\":["
        out += result.frames.map(frame).joined(separator: ",")
        out += "],\"result\":["
        out += result.players.enumerated().map { index, player in
            var status = player.status.name
            if case .kicked(let reason) = player.status { status += ": " + reason }
            return "{\"player\":\(index + 1),\"rank\":\(player.rank),\"score\":\(number(player.score)),\"status\":\(JSONText.quote(status))}"
        }.joined(separator: ",")
        out += "]}"
        return Array(out.utf8)
    }

    /// A frame that is JSON goes in as JSON; anything else as a string.
    static func frame(_ bytes: [UInt8]) -> String {
        if (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil {
            return String(decoding: bytes, as: UTF8.self)
        }
        return JSONText.quote(String(decoding: bytes, as: UTF8.self))
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)) : "0"
    }
}
