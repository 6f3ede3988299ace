import AlgoProto
import JudgeCore

extension JudgeEngine: SubmissionJudging {
    var languageCapabilities: [JudgeV1.LanguageCapability] {
        self.languages.map { language in
            var capability = JudgeV1.LanguageCapability()
            capability.id = language.id
            capability.name = language.name
            capability.version = language.version
            capability.compileCommand = language.compileCommand
            capability.runCommand = language.runCommand
            capability.sourceFileName = language.sourceFileName
            return capability
        }
    }
}
