/// The scratch directory of one judging: boxes (the program's /box) and outputs (judge-owned,
/// outside every box). Removed, links and all, when the judging ends.
final class Workspace: Sendable {
    let root: String

    init(parent: String) throws {
        self.root = parent + "/judging-" + FileSystem.randomName()
        try FileSystem.makeDirectory(self.root, mode: 0o711)
    }

    /// A fresh, empty directory for one run's /box.
    func makeBox(_ name: String) throws -> String {
        let path = self.root + "/" + name
        try FileSystem.makeBox(path)
        return path
    }

    /// A path for a judge-created file (the sandbox creates it with O_EXCL).
    func file(_ name: String) -> String {
        self.root + "/" + name
    }

    func remove() {
        FileSystem.removeTree(self.root)
    }
}
