import AlgoProto

/// The judge's languages as the editor shows them. The judge probes the real compiler versions;
/// these are the versions the Debian 12 images ship.
enum Languages {
    static let all: [ProblemsV1.ProgrammingLanguage] = [
        language("c", "C", "GCC 12.2 (C17)", """
            #include <stdio.h>

            int main(void) {
                return 0;
            }

            """),
        language("cpp", "C++", "G++ 12.2 (C++17)", """
            #include <bits/stdc++.h>
            using namespace std;

            int main() {
                ios::sync_with_stdio(false);
                cin.tie(nullptr);
                return 0;
            }

            """),
        language("python", "Python", "CPython 3.11", """
            import sys


            def main() -> None:
                data = sys.stdin.read().split()


            main()

            """),
        language("javascript", "JavaScript", "Node.js 20", """
            const data = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean);

            """),
        language("java", "Java", "OpenJDK 17", """
            import java.io.*;
            import java.util.*;

            public class Main {
                public static void main(String[] args) throws IOException {
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                }
            }

            """),
    ]

    static let ids: Set<String> = Set(all.map(\.id))
    /// In the table's order, for messages.
    static let idList = all.map(\.id).joined(separator: ", ")

    private static func language(_ id: String, _ name: String, _ version: String, _ template: String) -> ProblemsV1.ProgrammingLanguage {
        var language = ProblemsV1.ProgrammingLanguage()
        language.id = id
        language.name = name
        language.version = version
        language.defaultTemplate = template
        return language
    }
}
