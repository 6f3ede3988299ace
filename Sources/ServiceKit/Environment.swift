#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Typed, validated access to configuration from environment variables.
///
/// Every error names the variable, so a misconfigured container says exactly what to fix.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The process environment.
    public static var process: Environment {
        var values: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            pointer += 1
        }
        return Environment(values)
    }

    public func string(_ name: String) -> String? {
        guard let value = self.values[name], !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        self.string(name) ?? fallback
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = self.string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\"\(text)\" is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func port(_ name: String, default fallback: Int) throws -> Int {
        try self.int(name, default: fallback, range: 0...65535)
    }

    /// A secret from `NAME`, or from the file named by `NAME_FILE` (Kubernetes secrets mount as files).
    public func secret(_ name: String, minimumLength: Int = 16) throws -> String {
        let value: String
        if let path = self.string("\(name)_FILE") {
            guard let contents = try? readFile(path) else {
                throw ConfigurationError(variable: "\(name)_FILE", problem: "cannot read \(path)")
            }
            value = contents.trimmingTrailingNewlines()
        } else if let direct = self.string(name) {
            value = direct
        } else {
            throw ConfigurationError(variable: name, problem: "is required (or \(name)_FILE naming a file that holds it)")
        }
        guard value.utf8.count >= minimumLength else {
            throw ConfigurationError(variable: name, problem: "must be at least \(minimumLength) bytes long")
        }
        return value
    }

    public func choice(_ name: String, default fallback: String, allowed: [String]) throws -> String {
        let value = self.string(name, default: fallback)
        guard allowed.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\"\(value)\" is not one of \(allowed.joined(separator: ", "))")
        }
        return value
    }
}

/// A missing or invalid setting; the service refuses to start and prints this.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "configuration error: \(variable) \(problem)" }
}

func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw ConfigurationError(variable: path, problem: "cannot open") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
        if bytes.count > 1 << 20 { throw ConfigurationError(variable: path, problem: "is larger than 1 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var result = Substring(self)
        while let last = result.last, last == "\n" || last == "\r" { result = result.dropLast() }
        return String(result)
    }
}
