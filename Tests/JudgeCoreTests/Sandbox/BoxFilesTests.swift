#if canImport(Glibc)
import Glibc
#endif
import JudgeCore
import Testing

/// Reading and removing boxes as root without following what a program left in them.
@Suite struct BoxFilesTests {
    private func makeBox() throws -> String {
        var template = Array("/tmp/algosports-boxfiles-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SandboxError.system("mkdtemp", errno: errno)
        }
        return String(cString: path)
    }

    @Test func writesAndReadsNestedFilesUpToALimit() throws {
        let box = try makeBox()
        defer { try? BoxFiles.remove(box: box) }
        mkdir("\(box)/out", 0o755)
        try BoxFiles.write(box: box, name: "out/answer.txt", contents: Array("42\n".utf8))
        #expect(try BoxFiles.read(box: box, name: "out/answer.txt", limit: 100) == Array("42\n".utf8))
        #expect(try BoxFiles.read(box: box, name: "out/answer.txt", limit: 1) == Array("4".utf8))
        // Never overwrites.
        #expect(throws: SandboxError.system("openat answer.txt", errno: EEXIST)) {
            try BoxFiles.write(box: box, name: "out/answer.txt", contents: [])
        }
    }

    @Test func refusesLinksFifosAndEscapes() throws {
        let box = try makeBox()
        defer { try? BoxFiles.remove(box: box) }
        let outside = try makeBox()
        defer { try? BoxFiles.remove(box: outside) }
        try BoxFiles.write(box: outside, name: "secret", contents: Array("secret".utf8))
        symlink("\(outside)/secret", "\(box)/link")
        symlink(outside, "\(box)/dirlink")
        mkfifo("\(box)/fifo", 0o644)
        #expect(throws: SandboxError.system("openat link", errno: ELOOP)) { try BoxFiles.read(box: box, name: "link", limit: 100) }
        // A linked directory in the middle of the path is not followed either.
        #expect(throws: SandboxError.self) { try BoxFiles.read(box: box, name: "dirlink/secret", limit: 100) }
        #expect(throws: SandboxError.invalidRun("fifo in the box is not a regular file")) {
            try BoxFiles.read(box: box, name: "fifo", limit: 100)
        }
        for name in ["../secret", "/etc/passwd", "a/../b", ""] {
            #expect(throws: SandboxError.self) { try BoxFiles.read(box: box, name: name, limit: 100) }
        }
        // Removing the box removes the links, not what they point to.
        try BoxFiles.remove(box: box)
        #expect(access(box, F_OK) != 0)
        #expect(try BoxFiles.read(box: outside, name: "secret", limit: 100) == Array("secret".utf8))
    }

    @Test func removesADeepTree() throws {
        let box = try makeBox()
        let root = open(box, O_RDONLY | O_DIRECTORY)
        var fd = dup(root)
        for _ in 0..<200 {
            mkdirat(fd, "d", 0o755)
            let next = openat(fd, "d", O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = next
        }
        close(openat(fd, "file", O_WRONLY | O_CREAT, 0o644))
        close(fd)
        close(root)
        try BoxFiles.remove(box: box)
        #expect(access(box, F_OK) != 0)
    }
}

@Suite struct SandboxConfigurationTests {
    @Test func readsTheEnvironment() throws {
        let configuration = try SandboxConfiguration(environment: [
            "JUDGE_SANDBOX_SLOTS": "4", "JUDGE_SANDBOX_UID_BASE": "70000", "JUDGE_SANDBOX_GID_BASE": "71000",
            "JUDGE_SANDBOX_CGROUP_PARENT": "algosports-judge/judge-0", "JUDGE_SANDBOX_WORK_ROOT": "/var/judge",
        ])
        #expect(configuration.slots == 4)
        #expect(configuration.uidBase == 70000 && configuration.gidBase == 71000)
        #expect(configuration.cgroupParent == "algosports-judge/judge-0")
        #expect(configuration.workRoot == "/var/judge")
        #expect(try SandboxConfiguration(environment: [:]) == SandboxConfiguration())
    }

    @Test(arguments: [
        ["JUDGE_SANDBOX_SLOTS": "0"], ["JUDGE_SANDBOX_SLOTS": "many"], ["JUDGE_SANDBOX_UID_BASE": "0"],
        ["JUDGE_SANDBOX_CGROUP_PARENT": "../escape"], ["JUDGE_SANDBOX_CGROUP_PARENT": "/absolute"],
        ["JUDGE_SANDBOX_WORK_ROOT": "relative"],
    ])
    func refusesBadValues(_ environment: [String: String]) {
        #expect(throws: SandboxError.self) { try SandboxConfiguration(environment: environment) }
    }
}
