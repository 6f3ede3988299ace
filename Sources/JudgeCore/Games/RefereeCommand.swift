/// One command of a referee (docs/game-protocol.md). Players are 1-based, as on the wire.
enum RefereeCommand: Equatable {
    case send(player: Int, payload: [UInt8])
    case receive(player: Int)
    case kick(player: Int, reason: String)
    case frame([UInt8])
    case log([UInt8])
    case end([(rank: Int, score: Double)])

    static func == (a: RefereeCommand, b: RefereeCommand) -> Bool {
        switch (a, b) {
        case let (.send(p, x), .send(q, y)): p == q && x == y
        case let (.receive(p), .receive(q)): p == q
        case let (.kick(p, x), .kick(q, y)): p == q && x == y
        case let (.frame(x), .frame(y)), let (.log(x), .log(y)): x == y
        case let (.end(x), .end(y)): x.count == y.count && zip(x, y).allSatisfy { $0.rank == $1.rank && $0.score == $1.score }
        default: false
        }
    }
}

/// A referee broke the protocol: the match is a system error, never the bots' fault.
struct RefereeProtocolError: Error, Equatable, CustomStringConvertible {
    var description: String
}

/// Turns the referee's stdout into commands, however the bytes arrive. Lines are capped so that a
/// referee that never writes a newline cannot grow the buffer without bound.
struct RefereeParser {
    static let maximumLine = 4096
    /// The largest payload of one command (a frame, a log chunk or what a bot is sent).
    static let maximumPayload = 16 << 20

    let players: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// A command line read, waiting for its payload.
    private var pending: (kind: UInt8, player: Int, length: Int)?

    init(players: Int) {
        self.players = players
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        if self.start > 0 && self.start == self.buffer.count {
            self.buffer.removeAll(keepingCapacity: true)
            self.start = 0
        }
        self.buffer.append(contentsOf: bytes)
    }

    /// The next complete command, or nil until more bytes arrive.
    mutating func next() throws(RefereeProtocolError) -> RefereeCommand? {
        if let pending = self.pending {
            guard self.buffer.count - self.start >= pending.length else { return nil }
            let payload = Array(self.buffer[self.start..<(self.start + pending.length)])
            self.consume(pending.length)
            self.pending = nil
            switch pending.kind {
            case UInt8(ascii: "S"): return .send(player: pending.player, payload: payload)
            case UInt8(ascii: "F"): return .frame(payload)
            default: return .log(payload)
            }
        }
        guard let newline = self.buffer[self.start...].firstIndex(of: UInt8(ascii: "\n")) else {
            if self.buffer.count - self.start > Self.maximumLine { throw RefereeProtocolError(description: "a command line longer than \(Self.maximumLine) bytes") }
            return nil
        }
        if let command = self.quick(from: self.start, to: newline) {
            self.consume(newline + 1 - self.start)
            switch command {
            case .receive(let player):
                return .receive(player: player)
            case .send(let player, let length):
                self.pending = (UInt8(ascii: "S"), player, length)
                return try self.next()
            }
        }
        let line = String(decoding: self.buffer[self.start..<newline], as: UTF8.self)
        self.consume(newline + 1 - self.start)
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let verb = words.first else { throw RefereeProtocolError(description: "an empty command line") }
        switch verb {
        case "SEND":
            guard words.count == 3 else { throw self.malformed(line) }
            self.pending = (UInt8(ascii: "S"), try self.player(words[1], line), try self.length(words[2], line))
            return try self.next()
        case "RECV":
            guard words.count == 2 else { throw self.malformed(line) }
            return .receive(player: try self.player(words[1], line))
        case "KICK":
            guard words.count >= 2 else { throw self.malformed(line) }
            let reason = words.dropFirst(2).joined(separator: " ")
            return .kick(player: try self.player(words[1], line), reason: reason.isEmpty ? "kicked by the referee" : String(reason.prefix(200)))
        case "FRAME", "LOG":
            guard words.count == 2 else { throw self.malformed(line) }
            self.pending = (verb == "FRAME" ? UInt8(ascii: "F") : UInt8(ascii: "L"), 0, try self.length(words[1], line))
            return try self.next()
        case "END":
            guard words.count == 1 + 2 * self.players else {
                throw RefereeProtocolError(description: "END needs a rank and a score for each of the \(self.players) players: \(line.prefix(200))")
            }
            var places: [(rank: Int, score: Double)] = []
            for index in 0..<self.players {
                guard let rank = Int(words[1 + 2 * index]), rank >= 1, rank <= self.players,
                      let score = Double(words[2 + 2 * index]), score.isFinite
                else { throw self.malformed(line) }
                places.append((rank, score))
            }
            return .end(places)
        default:
            throw RefereeProtocolError(description: "unknown command \(verb.prefix(40))")
        }
    }

    /// `RECV p` and `SEND p n` are nearly every command of a match: read straight from the bytes
    /// when well-formed (anything unusual takes the general path, with its error messages).
    private enum QuickCommand {
        case receive(Int)
        case send(Int, length: Int)
    }

    private func quick(from start: Int, to end: Int) -> QuickCommand? {
        let count = end - start
        guard count >= 6 else { return nil }
        let isReceive = self.buffer[start] == UInt8(ascii: "R") && self.buffer[start + 1] == UInt8(ascii: "E")
            && self.buffer[start + 2] == UInt8(ascii: "C") && self.buffer[start + 3] == UInt8(ascii: "V")
        let isSend = self.buffer[start] == UInt8(ascii: "S") && self.buffer[start + 1] == UInt8(ascii: "E")
            && self.buffer[start + 2] == UInt8(ascii: "N") && self.buffer[start + 3] == UInt8(ascii: "D")
        guard isReceive || isSend, self.buffer[start + 4] == UInt8(ascii: " ") else { return nil }
        var index = start + 5
        func number() -> Int? {
            var value = 0, digits = 0
            while index < end, self.buffer[index] >= 0x30, self.buffer[index] <= 0x39, digits < 9 {
                value = value * 10 + Int(self.buffer[index] - 0x30)
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        guard let player = number(), (1...self.players).contains(player) else { return nil }
        if isReceive { return index == end ? .receive(player) : nil }
        guard index < end, self.buffer[index] == UInt8(ascii: " ") else { return nil }
        index += 1
        guard let length = number(), index == end, length <= Self.maximumPayload else { return nil }
        return .send(player, length: length)
    }

    private mutating func consume(_ count: Int) {
        self.start += count
        // Keep the buffer from growing with everything ever read.
        if self.start > 65_536 && self.start * 2 > self.buffer.count {
            self.buffer.removeFirst(self.start)
            self.start = 0
        }
    }

    private func player(_ word: Substring, _ line: String) throws(RefereeProtocolError) -> Int {
        guard let player = Int(word), (1...self.players).contains(player) else {
            throw RefereeProtocolError(description: "no player \(word.prefix(20)) in a match of \(self.players): \(line.prefix(200))")
        }
        return player
    }

    private func length(_ word: Substring, _ line: String) throws(RefereeProtocolError) -> Int {
        guard let length = Int(word), (0...Self.maximumPayload).contains(length) else {
            throw RefereeProtocolError(description: "a payload length must be 0...\(Self.maximumPayload): \(line.prefix(200))")
        }
        return length
    }

    private func malformed(_ line: String) -> RefereeProtocolError {
        RefereeProtocolError(description: "malformed command: \(line.prefix(200))")
    }
}
