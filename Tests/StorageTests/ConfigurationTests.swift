import Foundation
import Testing

@testable import ServiceKit

@Suite("Storage configuration")
struct ConfigurationTests {
    @Test("DatabaseConfiguration reads VAR or VAR_FILE and names the variable when missing or invalid")
    func database() throws {
        let url = "postgres://users_svc:hunter2secret@db.internal:5432/algosports"
        #expect(try DatabaseConfiguration.fromEnvironment(Environment(["DATABASE_URL": url]), variable: "DATABASE_URL").url == url)

        let file = NSTemporaryDirectory() + TestServers.unique("dburl")
        try (url + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try DatabaseConfiguration.fromEnvironment(Environment(["DATABASE_URL_FILE": file]), variable: "DATABASE_URL").url == url)

        for environment in [[:], ["DATABASE_URL": "mysql://x@y/z"], ["DATABASE_URL": "postgres://u:%zzhunter2secret@h/db"]] {
            #expect { try DatabaseConfiguration.fromEnvironment(Environment(environment), variable: "DATABASE_URL") } throws: { error in
                let error = try #require(error as? ConfigurationError)
                return error.variable == "DATABASE_URL" && !error.description.contains("hunter2secret")
            }
        }
        #expect { try DatabaseConfiguration.fromEnvironment(Environment(["DATABASE_URL_FILE": "/no/such/file"]), variable: "DATABASE_URL") } throws: {
            ($0 as? ConfigurationError)?.variable == "DATABASE_URL_FILE"
        }
    }

    @Test("DATABASE_URL_POOL_SIZE sets the pool size; zero or a non-number names the variable")
    func databasePoolSize() throws {
        let url = "postgres://users_svc:secret@db.internal:5432/algosports"
        #expect(try DatabaseConfiguration.fromEnvironment(Environment(["DATABASE_URL": url]), variable: "DATABASE_URL").poolSize == 8)
        let sized = Environment(["DATABASE_URL": url, "DATABASE_URL_POOL_SIZE": "3"])
        #expect(try DatabaseConfiguration.fromEnvironment(sized, variable: "DATABASE_URL").poolSize == 3)
        for bad in ["0", "-1", "many", "100000"] {
            #expect { try DatabaseConfiguration.fromEnvironment(Environment(["DATABASE_URL": url, "DATABASE_URL_POOL_SIZE": bad]), variable: "DATABASE_URL") } throws: {
                ($0 as? ConfigurationError)?.variable == "DATABASE_URL_POOL_SIZE"
            }
        }
    }

    @Test("descriptions never show a password")
    func redaction() {
        var configuration = DatabaseConfiguration(url: "postgres://users_svc:hunter2secret@db:5432/algosports?sslmode=disable&password=other2secret")
        configuration.poolSize = 3
        #expect(!"\(configuration)".contains("hunter2secret") && !"\(configuration)".contains("other2secret"))
        #expect("\(configuration)".contains("users_svc:***@db:5432"))
        #expect(DatabaseConfiguration(url: "postgresql:///algosports?host=/tmp&user=postgres").redactedURL == "postgresql:///algosports?host=/tmp&user=postgres")
        let redis = RedisConfiguration(url: "redis://:hunter2secret@cache:6380/2")
        #expect(!"\(redis)".contains("hunter2secret") && "\(redis)".contains("cache:6380"))
    }

    @Test("Redis URLs: password, user, port, database; bad ones name the variable")
    func redis() throws {
        let full = try RedisEndpoint(url: "redis://:p%40ss@cache.internal:6380/3")
        #expect(full.host == "cache.internal" && full.port == 6380 && full.password == "p@ss" && full.username == nil && full.database == 3)
        let user = try RedisEndpoint(url: "redis://judge:pw@10.0.0.5")
        #expect(user.username == "judge" && user.password == "pw" && user.port == 6379 && user.database == 0)
        let ipv6 = try RedisEndpoint(url: "redis://[::1]:7000/")
        #expect(ipv6.host == "::1" && ipv6.port == 7000)
        #expect(try RedisConfiguration.fromEnvironment(Environment(["REDIS_URL": "redis://127.0.0.1:6379"]), variable: "REDIS_URL").poolSize == 4)

        for bad in ["http://x", "rediss://x:1", "redis://:pw@host:99999", "redis://host/notanumber", "redis://"] {
            #expect { try RedisConfiguration.fromEnvironment(Environment(["REDIS_URL": bad]), variable: "REDIS_URL") } throws: {
                ($0 as? ConfigurationError)?.variable == "REDIS_URL"
            }
        }
        #expect { try RedisConfiguration.fromEnvironment(Environment([:]), variable: "REDIS_URL") } throws: {
            ($0 as? ConfigurationError)?.variable == "REDIS_URL"
        }
    }

    @Test("durations become whole milliseconds, rounded up")
    func milliseconds() {
        #expect(Duration.seconds(2).storageMilliseconds == 2000)
        #expect(Duration.microseconds(1).storageMilliseconds == 1)
        #expect(Duration.milliseconds(1500).storageMilliseconds == 1500)
    }
}
