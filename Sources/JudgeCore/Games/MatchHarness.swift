#if canImport(Glibc)
import Glibc
#endif

/// The judge's side of docs/game-protocol.md, on one thread with poll(2): relays the referee's
/// commands to the bots and the bots' lines back, and holds every bot to its time per answer
/// (CPU from its slot's cgroup, plus a wall-clock cap). Never blocks on a program: every
/// descriptor is non-blocking and writes are queued.
final class MatchHarness: @unchecked Sendable {
    static let maximumLine = 64 << 10
    static let maximumFrameBytes = 64 << 20
    static let maximumLogBytes = 1 << 20
    /// How often a waiting turn's CPU time is sampled.
    static let sampleMilliseconds: Int32 = 5

    final class Endpoint {
        var input: Int32  // we write: the program's stdin
        var output: Int32  // we read: the program's stdout
        var pending: [UInt8] = []
        var pendingStart = 0
        var received: [UInt8] = []
        var eof = false

        init(input: Int32, output: Int32) {
            self.input = input
            self.output = output
            for fd in [input, output] where fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }

        func closeAll() {
            for fd in [self.input, self.output] where fd >= 0 { close(fd) }
            self.input = -1
            self.output = -1
        }
    }

    final class Bot {
        let endpoint: Endpoint
        let control: RunControl?
        var status: PlayerResult.Status?
        var answers = 0
        var cpuAtLastAnswer: UInt64 = 0

        init(endpoint: Endpoint, control: RunControl?, status: PlayerResult.Status?) {
            self.endpoint = endpoint
            self.control = control
            self.status = status
        }
    }

    struct Outcome: @unchecked Sendable {
        /// nil when the referee failed.
        var places: [(rank: Int, score: Double)]?
        var failure: String?
        var statuses: [PlayerResult.Status?]
        var frames: [[UInt8]] = []
        var log: [UInt8] = []
        var turns = 0
    }

    private let referee: Endpoint
    private let refereeControl: RunControl
    private let bots: [Bot]
    private let limits: MatchLimits
    private var parser: RefereeParser
    private var outcome: Outcome
    private var frameBytes = 0
    /// The RECV being served: player index (0-based) and when its turn started.
    private var waiting: (index: Int, started: UInt64)?
    /// One read buffer for the whole match: a move is a few bytes, allocating per read would cost
    /// more than the move.
    private var chunk = [UInt8](repeating: 0, count: 65_536)
    private let endpoints: [Endpoint]
    private var polled: [pollfd] = []
    private var targets: [(endpoint: Endpoint, writing: Bool)] = []

    init(referee: Endpoint, refereeControl: RunControl, bots: [Bot], limits: MatchLimits) {
        self.referee = referee
        self.refereeControl = refereeControl
        self.bots = bots
        self.limits = limits
        self.parser = RefereeParser(players: bots.count)
        self.endpoints = [referee] + bots.map(\.endpoint)
        self.outcome = Outcome(statuses: bots.map(\.status))
    }

    /// Plays the match to its END (or the referee's failure) and stops every program.
    func run(seed: UInt64) -> Outcome {
        defer { self.stopAll() }
        do {
            try self.play(seed: seed)
        } catch {
            self.outcome.places = nil
            self.outcome.failure = error.description
        }
        self.outcome.statuses = self.bots.map(\.status)
        return self.outcome
    }

    private func play(seed: UInt64) throws(RefereeProtocolError) {
        // Slots are taken for the whole group at once: wait for the referee to start before
        // the match's clock runs.
        while !self.refereeControl.isStarted && !self.referee.eof {
            var probe = pollfd(fd: self.referee.output, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 10) > 0 { break }
        }
        let deadline = Self.now() + UInt64(self.limits.matchWallMilliseconds) * 1_000_000
        self.enqueue(self.referee, Array("START \(self.bots.count) \(seed)\n".utf8))
        while true {
            while self.waiting == nil, let command = try self.parser.next() {
                if case .end(let places) = command {
                    self.outcome.places = places
                    return
                }
                try self.handle(command)
            }
            if let waiting = self.waiting {
                self.serve(waiting)
                if self.waiting == nil { continue }  // answered: on to the referee's next commands
            }
            // Every command read and its stdout closed: no END can come.
            if self.referee.eof { throw RefereeProtocolError(description: "the referee stopped before END") }
            let now = Self.now()
            guard now < deadline else { throw RefereeProtocolError(description: "the match exceeded its wall-clock bound of \(self.limits.matchWallMilliseconds) ms") }
            self.pollOnce(timeout: self.waiting == nil ? Int32(min((deadline - now) / 1_000_000 + 1, 1000)) : Self.sampleMilliseconds)
        }
    }

    private func handle(_ command: RefereeCommand) throws(RefereeProtocolError) {
        switch command {
        case .send(let player, let payload):
            let bot = self.bots[player - 1]
            if bot.status == nil && bot.endpoint.input >= 0 { self.enqueue(bot.endpoint, payload) }
        case .receive(let player):
            self.outcome.turns += 1
            guard self.outcome.turns <= self.limits.maxTurns else {
                throw RefereeProtocolError(description: "more than the game's \(self.limits.maxTurns) turns")
            }
            if self.bots[player - 1].status != nil {
                self.reply("OUT\n")
            } else {
                self.waiting = (player - 1, Self.now())
            }
        case .kick(let player, let reason):
            let bot = self.bots[player - 1]
            if bot.status == nil { self.out(bot, .kicked(reason)) }
        case .frame(let payload):
            self.frameBytes += payload.count
            guard self.frameBytes <= Self.maximumFrameBytes else {
                throw RefereeProtocolError(description: "more than \(Self.maximumFrameBytes >> 20) MiB of replay frames")
            }
            self.outcome.frames.append(payload)
        case .log(let payload):
            let room = Self.maximumLogBytes - self.outcome.log.count
            if room > 0 { self.outcome.log += payload.prefix(room) }
        case .end:
            break
        }
    }

    /// Answers the RECV in progress if the bot has answered, failed or run out of time.
    private func serve(_ waiting: (index: Int, started: UInt64)) {
        let bot = self.bots[waiting.index]
        let endpoint = bot.endpoint
        if let newline = endpoint.received.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(endpoint.received[..<newline])
            endpoint.received.removeSubrange(...newline)
            bot.answers += 1
            self.waiting = nil
            self.reply("OK \(line.count)\n", line)
            // Read after the reply is on its way: the referee goes on while the cgroup is read
            // (the costliest step of a move). The bot, waiting for its next input, uses nothing
            // meanwhile, so the next turn's CPU is still counted from here.
            bot.cpuAtLastAnswer = bot.control?.cpuNanoseconds() ?? 0
            return
        }
        if endpoint.received.count > Self.maximumLine {
            self.finishTurn(bot, .overflow, reply: "OVERFLOW\n")
        } else if endpoint.eof {
            self.finishTurn(bot, .crash(""), reply: "CRASH\n")
        } else {
            let limit = bot.answers == 0 ? self.limits.initMilliseconds : self.limits.turnMilliseconds
            let wall = Self.now() - waiting.started
            // No turn can be over its limit within its first millisecond: the common quick
            // answer costs no cgroup read here.
            guard wall >= 1_000_000 else { return }
            let used = (bot.control?.cpuNanoseconds() ?? 0) &- bot.cpuAtLastAnswer
            if used > UInt64(limit) * 1_000_000 || wall > UInt64(self.limits.wallCap(forCPU: limit)) * 1_000_000 {
                self.finishTurn(bot, .timeout, reply: "TIMEOUT\n")
            }
        }
    }

    private func finishTurn(_ bot: Bot, _ status: PlayerResult.Status, reply: String) {
        self.out(bot, status)
        self.waiting = nil
        self.reply(reply)
    }

    /// The bot is out of the match: stopped now, never asked again.
    private func out(_ bot: Bot, _ status: PlayerResult.Status) {
        bot.status = status
        bot.control?.stop()
        bot.endpoint.pending = []
        bot.endpoint.pendingStart = 0
    }

    private func reply(_ line: String, _ payload: [UInt8] = []) {
        self.enqueue(self.referee, Array(line.utf8) + payload)
    }

    private func enqueue(_ endpoint: Endpoint, _ bytes: [UInt8]) {
        guard endpoint.input >= 0 else { return }
        endpoint.pending += bytes
        self.flush(endpoint)
    }

    private func flush(_ endpoint: Endpoint) {
        while endpoint.pendingStart < endpoint.pending.count {
            let n = endpoint.pending.withUnsafeBytes { buffer in
                write(endpoint.input, buffer.baseAddress! + endpoint.pendingStart, buffer.count - endpoint.pendingStart)
            }
            if n > 0 {
                endpoint.pendingStart += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { return }
            // EPIPE: the program is gone; what it would have read is lost with it.
            close(endpoint.input)
            endpoint.input = -1
            break
        }
        endpoint.pending.removeAll(keepingCapacity: true)
        endpoint.pendingStart = 0
    }

    /// Reads whatever is ready; bots' output is buffered until the referee asks for it (a bot that
    /// talks out of turn is heard on its next turn).
    private func pollOnce(timeout: Int32) {
        // Kept between calls: a move is a couple of polls, and allocating per poll shows.
        self.polled.removeAll(keepingCapacity: true)
        self.targets.removeAll(keepingCapacity: true)
        for endpoint in self.endpoints {
            if !endpoint.eof && endpoint.output >= 0 && endpoint.received.count <= Self.maximumLine {
                self.polled.append(pollfd(fd: endpoint.output, events: Int16(POLLIN), revents: 0))
                self.targets.append((endpoint, false))
            }
            if endpoint.input >= 0 && endpoint.pendingStart < endpoint.pending.count {
                self.polled.append(pollfd(fd: endpoint.input, events: Int16(POLLOUT), revents: 0))
                self.targets.append((endpoint, true))
            }
        }
        guard poll(&self.polled, nfds_t(self.polled.count), timeout) > 0 else { return }
        for index in self.polled.indices where self.polled[index].revents != 0 {
            let (endpoint, writing) = self.targets[index]
            if writing {
                self.flush(endpoint)
            } else {
                self.read(endpoint, isReferee: endpoint === self.referee)
            }
        }
    }

    private func read(_ endpoint: Endpoint, isReferee: Bool) {
        while true {
            let n = self.chunk.withUnsafeMutableBytes { Glibc.read(endpoint.output, $0.baseAddress, $0.count) }
            if n > 0 {
                if isReferee {
                    self.parser.append(self.chunk[0..<n])
                } else {
                    endpoint.received += self.chunk[0..<n]
                    if endpoint.received.count > Self.maximumLine { return }
                }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { return }
            endpoint.eof = true
            return
        }
    }

    private func stopAll() {
        for bot in self.bots {
            bot.control?.stop()
            bot.endpoint.closeAll()
        }
        self.refereeControl.stop()
        self.referee.closeAll()
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
