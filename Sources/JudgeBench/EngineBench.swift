import JudgeCore

#if canImport(Glibc)
import Glibc
#endif

/// `JudgeBench engine [N]`: the judging engine alone on the real sandbox, without services or the
/// queue, split into compiling and running the 20 tests: where end-to-end time goes.
enum EngineBench {
    static func run(count: Int) async throws {
        try await BenchEngine.with("engine-bench", slots: 2, languages: [DefaultLanguages.c]) { engine, root in
            var tests: [TestFile] = []
            for index in 1...20 {
                let input = "\(root)/\(index).in", answer = "\(root)/\(index).ans"
                write(input, "\(index * 7919) \(index * 104_729)\n")
                write(answer, "\(index * 7919 + index * 104_729)\n")
                tests.append(TestFile(name: String(index), inputPath: input, answerPath: answer))
            }
            func judge(_ variant: Int) async -> JudgeResult {
                await engine.judge(JudgeRequest(
                    language: "c", source: EndToEndBench.source(variant: variant), timeLimitMilliseconds: 1000, memoryLimitMegabytes: 64, tests: tests
                )) { _ in }
            }
            _ = await judge(-1)
            // Cached: the same source again runs only the tests.
            var start = ContinuousClock.now
            for _ in 0..<count { _ = await judge(-1) }
            let testsOnly = (ContinuousClock.now - start) / count
            start = ContinuousClock.now
            for variant in 0..<count { _ = await judge(variant) }
            let compiled = (ContinuousClock.now - start) / count
            print("engine alone, one at a time: \(EndToEndBench.milliseconds(compiled)) per submission (20 tests \(EndToEndBench.milliseconds(testsOnly)), compiling \(EndToEndBench.milliseconds(compiled - testsOnly)))")
        }
    }

    static func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
