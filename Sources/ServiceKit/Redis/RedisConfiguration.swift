/// Where and how a service connects to Redis: `redis://[[user]:password@]host[:port][/db]`.
///
/// `url` may carry a password: never log it; `description` redacts it.
public struct RedisConfiguration: Sendable, CustomStringConvertible {
    public var url: String
    /// Connections (each on its own dedicated thread) opened at most; created on demand.
    public var poolSize: Int = 4
    /// Socket read/write timeout of every command; a command never waits longer.
    public var commandTimeout: Duration = .seconds(2)
    public var connectTimeout: Duration = .seconds(2)

    public init(url: String) {
        self.url = url
    }

    /// Reads the URL from `variable`, or from the file named by `variable_FILE`.
    ///
    /// Throws `ConfigurationError` naming the variable when it is missing or not a valid URL.
    public static func fromEnvironment(_ env: Environment, variable: String) throws -> RedisConfiguration {
        let url = try readStorageURL(env, variable: variable, what: "a redis:// URL")
        do {
            _ = try RedisEndpoint(url: url)
        } catch let error as RedisError {
            throw ConfigurationError(variable: variable, problem: error.message)
        }
        return RedisConfiguration(url: url)
    }

    /// The URL with its password replaced by `***`.
    public var redactedURL: String { redactURLPassword(self.url) }

    public var description: String {
        "RedisConfiguration(url: \(self.redactedURL), poolSize: \(self.poolSize))"
    }
}

/// A parsed Redis URL.
struct RedisEndpoint: Sendable {
    var host: String
    var port: Int
    var username: String?
    var password: String?
    var database: Int

    /// Errors never quote the URL (it may hold a password).
    init(url: String) throws {
        guard url.hasPrefix("redis://") else {
            throw RedisError(.invalidArgument, url.hasPrefix("rediss://") ? "TLS (rediss://) is not supported by hiredis 0.14" : "must be a redis:// URL")
        }
        var rest = Substring(url.dropFirst("redis://".count))
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var hostPort = rest
        self.username = nil
        self.password = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = userInfo[..<colon]
                self.username = user.isEmpty ? nil : try Self.percentDecoded(user)
                self.password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                self.password = try Self.percentDecoded(userInfo)  // redis://password@host
            }
        }
        var portText: Substring?
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {  // [::1]:6379
            self.host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw RedisError(.invalidArgument, "has a malformed host") }
        } else if let colon = hostPort.lastIndex(of: ":") {
            self.host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            self.host = String(hostPort)
        }
        guard !self.host.isEmpty else { throw RedisError(.invalidArgument, "has no host") }
        self.port = 6379
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw RedisError(.invalidArgument, "has an invalid port") }
            self.port = port
        }
        self.database = 0
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else { throw RedisError(.invalidArgument, "has an invalid database number") }
            self.database = database
        }
    }

    private static func percentDecoded(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { throw RedisError(.invalidArgument, "has a malformed percent-escape in its credentials") }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
