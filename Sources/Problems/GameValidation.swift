import AlgoProto
import ServiceKit

/// The rules for games and their versions. Each failure names the field as in the API.
/// Zero limits take the defaults, so that a staff member can start from the referee alone.
enum GameValidation {
    static let players: ClosedRange<Int32> = 2...8
    static let initTimes: ClosedRange<Int32> = 100...10_000
    static let turnTimes: ClosedRange<Int32> = 10...5_000
    static let turns: ClosedRange<Int32> = 1...100_000
    static let memories: ClosedRange<Int32> = 16...1024
    static let defaultLimits: (initTime: Int32, turnTime: Int32, turns: Int32, memory: Int32) = (2000, 200, 1000, 256)

    static func game(_ request: ProblemsV1.CreateGameRequest) -> (ProblemsV1.Game, [CommonV1.FieldViolation]) {
        var violations: [CommonV1.FieldViolation] = []
        if let violation = ProblemValidation.slug(request.slug) { violations.append(violation) }
        var game = ProblemsV1.Game()
        game.slug = request.slug
        game.authorId = request.authorId
        if request.authorId <= 0 { violations.append(.init("author_id", "is required")) }
        game.title = title(request.title, &violations)
        game.rulesMarkdown = rules(request.rulesMarkdown, &violations)
        game.minPlayers = request.minPlayers
        game.maxPlayers = request.maxPlayers
        if !players.contains(request.minPlayers) {
            violations.append(.init("min_players", "must be between \(players.lowerBound) and \(players.upperBound)"))
        }
        if !players.contains(request.maxPlayers) || request.maxPlayers < request.minPlayers {
            violations.append(.init("max_players", "must be between min_players and \(players.upperBound)"))
        }
        return (game, violations)
    }

    static func title(_ text: String, _ violations: inout [CommonV1.FieldViolation]) -> String {
        let title = text.trimmingWhitespace
        if title.isEmpty || title.count > 200 { violations.append(.init("title", "must be 1 to 200 characters long")) }
        return title
    }

    static func rules(_ text: String, _ violations: inout [CommonV1.FieldViolation]) -> String {
        if text.utf8.count > ProblemValidation.maximumTextBytes {
            violations.append(.init("rules_markdown", "must be at most \(ProblemValidation.maximumTextBytes) bytes long"))
        }
        return text
    }

    static func version(_ input: ProblemsV1.CreateGameVersionRequest) -> (ProblemsV1.CreateGameVersionRequest, [CommonV1.FieldViolation]) {
        var request = input
        var violations: [CommonV1.FieldViolation] = []
        func fail(_ field: String, _ description: String) { violations.append(.init(field, description)) }
        if request.gameId <= 0 { fail("game_id", "is required") }
        if request.authorId <= 0 { fail("author_id", "is required") }
        if ![.major, .minor, .micro].contains(request.bump) { fail("bump", "must be MAJOR, MINOR or MICRO") }
        if request.changelog.utf8.count > 64 << 10 { fail("changelog", "must be at most 64 KiB long") }
        if !Languages.ids.contains(request.refereeLanguage) {
            fail("referee_language", "unknown language \"\(request.refereeLanguage)\" (known: \(Languages.idList))")
        }
        if request.refereeSource.isEmpty || request.refereeSource.utf8.count > ProblemValidation.maximumSourceBytes {
            fail("referee_source", "must be 1 to \(ProblemValidation.maximumSourceBytes) bytes long")
        }
        var limits = request.limits ?? ProblemsV1.GameLimits()
        func check(_ value: inout Int32, _ field: String, _ range: ClosedRange<Int32>, _ fallback: Int32) {
            if value == 0 { value = fallback }
            if !range.contains(value) { fail("limits.\(field)", "must be between \(range.lowerBound) and \(range.upperBound)") }
        }
        check(&limits.initTimeMs, "init_time_ms", initTimes, defaultLimits.initTime)
        check(&limits.turnTimeMs, "turn_time_ms", turnTimes, defaultLimits.turnTime)
        check(&limits.maxTurns, "max_turns", turns, defaultLimits.turns)
        check(&limits.memoryMb, "memory_mb", memories, defaultLimits.memory)
        request.limits = limits
        // A bot is a whole program: wrappers do not apply.
        request.templates = request.templates.map { template in
            var template = template
            template.wrapperCode = ""
            return template
        }
        ProblemValidation.templates(request.templates, allowed: Languages.ids, fail)
        return (request, violations)
    }
}
