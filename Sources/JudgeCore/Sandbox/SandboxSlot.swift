#if canImport(Glibc)
import Glibc
#endif

/// One slot: its uid/gid, its cgroups and its long-lived helper. Used by one run at a time.
final class SandboxSlot: @unchecked Sendable {
    let index: Int
    let uid: Int
    let gid: Int
    let cgroups: any SlotCgroups
    private(set) var helper: SlotHelper
    private let helperPath: String
    private let bubblewrap: [String]

    init(index: Int, configuration: SandboxConfiguration, helperPath: String, bubblewrap: [String]) throws(SandboxError) {
        self.index = index
        uid = configuration.uidBase + index
        gid = configuration.gidBase + index
        self.helperPath = helperPath
        self.bubblewrap = bubblewrap
        cgroups = try Cgroups.create(configuration, slot: index)
        helper = try Self.startHelper(path: helperPath, bubblewrap: bubblewrap, cgroups: cgroups)
    }

    private static func startHelper(path: String, bubblewrap: [String], cgroups: any SlotCgroups) throws(SandboxError) -> SlotHelper {
        let helper = try SlotHelper.spawn(path: path, runDirectory: cgroups.runDirectory, bubblewrap: bubblewrap)
        do {
            // Once per helper: the slot's bwrap and every run are then born in the slot's cgroups.
            try cgroups.adopt(helper: helper.pid)
            try helper.startBubblewrap()
        } catch {
            helper.terminate()
            throw error
        }
        return helper
    }

    /// After the helper died under a run: a fresh one, so the slot stays usable.
    func restartHelper() throws(SandboxError) {
        helper.terminate()
        cgroups.killAll(except: [])
        helper = try Self.startHelper(path: helperPath, bubblewrap: bubblewrap, cgroups: cgroups)
    }

    func shutdown() {
        helper.terminate()
        cgroups.remove()
    }
}
