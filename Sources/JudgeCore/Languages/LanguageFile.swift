#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Languages from a JSON file (JUDGE_LANGUAGES_FILE): `{"languages": [ … ]}` or a bare array of
/// LanguageConfiguration objects. Optional keys take the defaults of `LanguageConfiguration.init`.
public enum LanguageFile {
    public struct Invalid: Error, CustomStringConvertible {
        public var path: String
        public var problem: String
        public var description: String { "languages file \(self.path): \(self.problem)" }
    }

    private struct Wrapped: Decodable {
        var languages: [LanguageConfiguration]
    }

    public static func load(path: String) throws -> [LanguageConfiguration] {
        let bytes: [UInt8]
        do {
            guard let read = try FileSystem.readFile(path, limit: 1 << 20) else { throw Invalid(path: path, problem: "not found") }
            bytes = read
        } catch let error as FileSystemError {
            throw Invalid(path: path, problem: error.description)
        }
        return try self.decode(bytes, path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> [LanguageConfiguration] {
        let data = Data(bytes)
        let languages: [LanguageConfiguration]
        do {
            if bytes.first(where: { !TokenReader.isSpace($0) }) == UInt8(ascii: "[") {
                languages = try JSONDecoder().decode([LanguageConfiguration].self, from: data)
            } else {
                languages = try JSONDecoder().decode(Wrapped.self, from: data).languages
            }
        } catch {
            throw Invalid(path: path, problem: "\(error)")
        }
        try self.validate(languages, path: path)
        return languages
    }

    static func validate(_ languages: [LanguageConfiguration], path: String) throws {
        guard !languages.isEmpty else { throw Invalid(path: path, problem: "no languages") }
        var seen: Set<String> = []
        for language in languages {
            guard seen.insert(language.id).inserted else { throw Invalid(path: path, problem: "duplicate language \(language.id)") }
            guard !language.run.isEmpty, language.run[0].hasPrefix("/") else {
                throw Invalid(path: path, problem: "\(language.id): run needs an absolute program path")
            }
            if let compile = language.compile, compile.first?.hasPrefix("/") != true {
                throw Invalid(path: path, problem: "\(language.id): compile needs an absolute program path")
            }
            guard !language.artifacts.isEmpty else { throw Invalid(path: path, problem: "\(language.id): no artifacts") }
            guard !language.sourceFileName.isEmpty, !language.sourceFileName.contains("/") else {
                throw Invalid(path: path, problem: "\(language.id): bad sourceFileName")
            }
        }
    }
}

extension LanguageConfiguration {
    enum CodingKeys: String, CodingKey {
        case id, name, versionCommand, sourceFileName, compile, artifacts, run, environment, compileLimits
        case runMemoryOverheadMegabytes, processes, toolchainDirectories, precompiledHeader
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let sourceFileName = try container.decode(String.self, forKey: .sourceFileName)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            versionCommand: try container.decode([String].self, forKey: .versionCommand),
            sourceFileName: sourceFileName,
            compile: try container.decodeIfPresent([String].self, forKey: .compile),
            artifacts: try container.decodeIfPresent([String].self, forKey: .artifacts) ?? [sourceFileName],
            run: try container.decode([String].self, forKey: .run),
            environment: try container.decodeIfPresent([String: String].self, forKey: .environment) ?? Self.defaultEnvironment,
            compileLimits: try container.decodeIfPresent(CompileLimits.self, forKey: .compileLimits) ?? CompileLimits(),
            runMemoryOverheadMegabytes: try container.decodeIfPresent(Int.self, forKey: .runMemoryOverheadMegabytes) ?? 0,
            processes: try container.decodeIfPresent(Int.self, forKey: .processes) ?? 1,
            toolchainDirectories: try container.decodeIfPresent([String].self, forKey: .toolchainDirectories) ?? ["/usr"],
            precompiledHeader: try container.decodeIfPresent(PrecompiledHeader.self, forKey: .precompiledHeader)
        )
    }
}

extension LanguageConfiguration.CompileLimits {
    enum CodingKeys: String, CodingKey {
        case wallMilliseconds, cpuMilliseconds, memoryMegabytes, processes, outputBytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        self.init(
            wallMilliseconds: try container.decodeIfPresent(Int.self, forKey: .wallMilliseconds) ?? defaults.wallMilliseconds,
            cpuMilliseconds: try container.decodeIfPresent(Int.self, forKey: .cpuMilliseconds) ?? defaults.cpuMilliseconds,
            memoryMegabytes: try container.decodeIfPresent(Int.self, forKey: .memoryMegabytes) ?? defaults.memoryMegabytes,
            processes: try container.decodeIfPresent(Int.self, forKey: .processes) ?? defaults.processes,
            outputBytes: try container.decodeIfPresent(Int.self, forKey: .outputBytes) ?? defaults.outputBytes
        )
    }
}
