import Testing

@testable import JudgeCore

@Suite struct EngineLanguageFileTests {
    @Test func loadsWithDefaultsForOptionalKeys() throws {
        let json = """
        {"languages": [{"id": "c", "name": "C", "versionCommand": ["/usr/bin/gcc", "--version"], "sourceFileName": "main.c",
          "compile": ["/usr/bin/gcc", "-O2", "-o", "main", "main.c"], "artifacts": ["main"], "run": ["/prog/main"],
          "compileLimits": {"wallMilliseconds": 5000}},
         {"id": "python", "name": "Python", "versionCommand": ["/usr/bin/python3", "--version"], "sourceFileName": "main.py",
          "run": ["/usr/bin/python3", "/prog/main.py"], "processes": 2}]}
        """
        let languages = try LanguageFile.decode(Array(json.utf8))
        #expect(languages.map(\.id) == ["c", "python"])
        #expect(languages[0].compileLimits.wallMilliseconds == 5000)
        #expect(languages[0].compileLimits.memoryMegabytes == 1024)
        #expect(languages[1].compile == nil && languages[1].artifacts == ["main.py"] && languages[1].processes == 2)
        #expect(languages[1].environment == LanguageConfiguration.defaultEnvironment)
    }

    @Test func defaultsRoundTripThroughJSON() throws {
        let encoded = try JSONEncoderShim.encode(DefaultLanguages.all)
        #expect(try LanguageFile.decode(encoded) == DefaultLanguages.all)
    }

    @Test func rejectsBadFiles() throws {
        #expect(throws: LanguageFile.Invalid.self) { try LanguageFile.decode(Array("[]".utf8)) }
        #expect(throws: LanguageFile.Invalid.self) { try LanguageFile.decode(Array("{".utf8)) }
        let relative = #"[{"id": "x", "name": "X", "versionCommand": ["x"], "sourceFileName": "a", "run": ["python3"]}]"#
        #expect(throws: LanguageFile.Invalid.self) { try LanguageFile.decode(Array(relative.utf8)) }
        let twice = #"[{"id": "x", "name": "X", "versionCommand": ["x"], "sourceFileName": "a", "run": ["/a"]}, {"id": "x", "name": "X", "versionCommand": ["x"], "sourceFileName": "a", "run": ["/a"]}]"#
        #expect(throws: LanguageFile.Invalid.self) { try LanguageFile.decode(Array(twice.utf8)) }
        #expect(throws: LanguageFile.Invalid.self) { try LanguageFile.load(path: "/nonexistent/languages.json") }
    }

    @Test func placeholdersAreFilledIn() {
        #expect(DefaultLanguages.java.runArguments(memoryMegabytes: 256).contains("-Xmx256m"))
        #expect(DefaultLanguages.javascript.runArguments(memoryMegabytes: 64).contains("--max-old-space-size=64"))
    }
}
