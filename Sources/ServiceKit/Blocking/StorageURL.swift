/// A server URL from `variable`, or from the file named by `variable_FILE` (Kubernetes secrets).
///
/// Errors name the variable, never the value: these URLs carry passwords.
func readStorageURL(_ env: Environment, variable: String, what: String) throws -> String {
    if let direct = env.string(variable) {
        return direct.trimmingStorageWhitespace()
    }
    if let path = env.string("\(variable)_FILE") {
        guard let contents = try? readFile(path) else {
            throw ConfigurationError(variable: "\(variable)_FILE", problem: "cannot read \(path)")
        }
        let url = contents.trimmingStorageWhitespace()
        guard !url.isEmpty else {
            throw ConfigurationError(variable: "\(variable)_FILE", problem: "names an empty file")
        }
        return url
    }
    throw ConfigurationError(variable: variable, problem: "is required: \(what) (or \(variable)_FILE naming a file that holds it)")
}

/// The URL with the password of `scheme://user:password@host…` and any `password=` query value
/// replaced by `***`.
func redactURLPassword(_ url: String) -> String {
    var result = url
    if let schemeEnd = result.range(of: "://") {
        let rest = result[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"),
            let colon = rest[..<at].firstIndex(of: ":")
        {
            result.replaceSubrange(result.index(after: colon)..<at, with: "***")
        }
    }
    if let query = result.firstIndex(of: "?") {
        let parameters = result[result.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
        let redacted = parameters.map { parameter -> String in
            parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
        }
        result = String(result[...query]) + redacted.joined(separator: "&")
    }
    return result
}

extension String {
    fileprivate func trimmingStorageWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
