/// The five languages of the product, for Debian 12's toolchains (gcc 12, Python 3.11, Node 20,
/// OpenJDK 17). Binaries are named by absolute paths under /usr: the sandbox mounts only
/// toolchain directories, and /root (pyenv, rustup) is unreadable there anyway.
public enum DefaultLanguages {
    public static let all: [LanguageConfiguration] = [c, cpp, python, javascript, java]

    public static let c = LanguageConfiguration(
        id: "c", name: "C (GCC, C17)", versionCommand: ["/usr/bin/gcc", "--version"], sourceFileName: "main.c",
        compile: ["/usr/bin/gcc", "-std=c17", "-O2", "-o", "main", "main.c", "-lm"],
        artifacts: ["main"], run: ["/prog/main"]
    )

    /// `-I /pch` finds `bits/stdc++.h.gch` before the real header: 0.3 s per compile instead of 1.5 s.
    public static let cpp = LanguageConfiguration(
        id: "cpp", name: "C++ (G++, C++17)", versionCommand: ["/usr/bin/g++", "--version"], sourceFileName: "main.cpp",
        compile: ["/usr/bin/g++", "-std=c++17", "-O2", "-I", "/pch", "-o", "main", "main.cpp"],
        artifacts: ["main"], run: ["/prog/main"],
        precompiledHeader: .init(
            header: "bits/stdc++.h", sandboxDirectory: "/pch",
            build: ["/usr/bin/g++", "-std=c++17", "-O2", "-x", "c++-header", "-o", "pch.gch", "pch.h"]
        )
    )

    /// Byte-compiling is the syntax check: a SyntaxError is a compilation error with its message.
    public static let python = LanguageConfiguration(
        id: "python", name: "Python 3", versionCommand: ["/usr/bin/python3", "--version"], sourceFileName: "main.py",
        compile: ["/usr/bin/python3", "-m", "py_compile", "main.py"],
        artifacts: ["main.py"], run: ["/usr/bin/python3", "/prog/main.py"],
        environment: LanguageConfiguration.defaultEnvironment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
    )

    /// V8 sizes its heap from the flag, not from the cgroup; the stack flag stays well under the
    /// process stack so deep recursion is a RangeError, not a segfault.
    public static let javascript = LanguageConfiguration(
        id: "javascript", name: "JavaScript (Node.js)", versionCommand: ["/usr/bin/node", "--version"], sourceFileName: "main.js",
        compile: ["/usr/bin/node", "--check", "main.js"],
        artifacts: ["main.js"],
        run: ["/usr/bin/node", "--max-old-space-size={memoryMegabytes}", "--stack-size=4000", "/prog/main.js"],
        compileLimits: .init(processes: 32), runMemoryOverheadMegabytes: 64, processes: 32
    )

    static let jvm = "/usr/lib/jvm/java-17-openjdk-amd64/bin"

    /// The JVM refuses to start under RLIMIT_AS: the heap is sized by -Xmx and the cgroup gets
    /// the JVM's own overhead on top.
    public static let java = LanguageConfiguration(
        id: "java", name: "Java 17 (OpenJDK)", versionCommand: ["\(jvm)/java", "--version"], sourceFileName: "Main.java",
        compile: [
            "\(jvm)/javac", "-J-Xmx512m", "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J-XX:-UsePerfData",
            "-encoding", "UTF-8", "Main.java",
        ],
        artifacts: ["*.class"],
        run: [
            "\(jvm)/java", "-Xmx{memoryMegabytes}m", "-Xss64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData", "-cp", "/prog", "Main",
        ],
        compileLimits: .init(memoryMegabytes: 1536, processes: 64), runMemoryOverheadMegabytes: 128, processes: 64,
        toolchainDirectories: ["/usr", "/etc/java-17-openjdk"]
    )
}
