/// A failed PostgreSQL call, classified by SQLSTATE so callers can map it to an RPC status.
///
/// `description` (what a log line shows) never contains SQL text, bind values or passwords:
/// for data exceptions (SQLSTATE class 22), whose messages quote the offending value, quoted
/// parts of `message` are replaced by `"<redacted>"`.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The classes callers act on; everything else is `.other` (look at `sqlState`).
    public enum Kind: Sendable, Hashable {
        case uniqueViolation  // 23505
        case foreignKeyViolation  // 23503
        case checkViolation  // 23514
        case notNullViolation  // 23502
        case serializationFailure  // 40001: retry the transaction
        case deadlockDetected  // 40P01: retry the transaction
        case insufficientPrivilege  // 42501
        case undefinedTable  // 42P01
        case queryCanceled  // 57014: statement_timeout or a cancel request
        /// Cannot connect, or the connection broke (class 08, 57P01–57P03, or a dead socket):
        /// callers answer UNAVAILABLE.
        case connectionFailure
        case syntaxError  // 42601
        case other
    }

    public var kind: Kind
    /// The five-character SQLSTATE (`08006` when libpq lost the connection without one).
    public var sqlState: String
    /// The server's primary message (data-exception values redacted), or libpq's.
    public var message: String
    /// The violated constraint, when the server names one.
    public var constraint: String?

    public init(kind: Kind, sqlState: String, message: String, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
    }

    /// An error reported by the server; `kind` follows from the SQLSTATE.
    init(sqlState: String, serverMessage: String, constraint: String?) {
        self.init(
            kind: Self.kind(of: sqlState),
            sqlState: sqlState,
            message: sqlState.hasPrefix("22") ? Self.redactingQuotes(serverMessage) : serverMessage,
            constraint: constraint
        )
    }

    /// The connection could not be opened or was lost.
    static func connectionFailure(_ message: String, sqlState: String = "08006") -> PostgresError {
        PostgresError(kind: .connectionFailure, sqlState: sqlState, message: message)
    }

    public var description: String {
        var text = "PostgresError.\(self.kind) (SQLSTATE \(self.sqlState)): \(self.message)"
        if let constraint = self.constraint { text += " [constraint \(constraint)]" }
        return text
    }

    static func kind(of sqlState: String) -> Kind {
        switch sqlState {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "23514": return .checkViolation
        case "23502": return .notNullViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "42501": return .insufficientPrivilege
        case "42P01": return .undefinedTable
        case "57014": return .queryCanceled
        case "42601": return .syntaxError
        // Administrator shutdown, crash shutdown, cannot connect now: the server is going away.
        case "57P01", "57P02", "57P03": return .connectionFailure
        case _ where sqlState.hasPrefix("08"): return .connectionFailure
        default: return .other
        }
    }

    /// `invalid input syntax for type integer: "s3cret"` → `…: "<redacted>"`.
    static func redactingQuotes(_ message: String) -> String {
        var result = ""
        var inQuote = false
        for character in message {
            if character == "\"" {
                result += inQuote ? "<redacted>\"" : "\""
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        if inQuote { result += "<redacted>" }
        return result
    }
}

/// A row value that cannot be decoded as the requested type (or the column does not exist).
public struct PostgresDecodingError: Error, CustomStringConvertible, Sendable {
    public var column: String
    public var problem: String

    public init(column: String, problem: String) {
        self.column = column
        self.problem = problem
    }

    public var description: String { "cannot decode column \"\(self.column)\": \(self.problem)" }
}
