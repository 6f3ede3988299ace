#if canImport(Glibc)
import Glibc
#endif

/// The long-lived SandboxHelper process of one slot (Sources/SandboxHelper/slot_server.c) and its
/// SOCK_SEQPACKET control socket. The helper starts the slot's one bubblewrap (our run server
/// inside); then one request (the box, binds and init arguments plus four descriptors) per run,
/// one reply when the run's init has exited.
final class SlotHelper: @unchecked Sendable {
    static let requestMagic: UInt32 = 0x5342_5251
    static let replyMagic: UInt32 = 0x5342_5250

    struct Reply {
        /// errno when the run could not be started; 0 when it ran.
        var error: Int32
        var waitStatus: Int32
        var pid: Int32 = 0
    }

    let pid: pid_t
    let control: Int32
    /// The slot's own processes, spared by the kill after each run: the helper, bwrap, bwrap's
    /// pid 1 and our run server.
    private(set) var kept: Set<pid_t>

    private init(pid: pid_t, control: Int32) {
        self.pid = pid
        self.control = control
        kept = [pid]
    }

    /// Starts `SandboxHelper slot [runDirectory]` with an empty environment, its control socket on
    /// fd 3 and /dev/null on 0 and 1 (its stderr stays the judge's, for diagnostics).
    static func spawn(path: String, runDirectory: String?, bubblewrap: [String]) throws(SandboxError) -> SlotHelper {
        var sockets: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &sockets) == 0 else {
            throw .system("socketpair", errno: errno)
        }
        defer { Posix.close(sockets[1]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, sockets[1], 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let arguments = [path, "slot", runDirectory ?? ""] + bubblewrap
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &environment)
        guard result == 0 else {
            Posix.close(sockets[0])
            throw .configuration("cannot start the sandbox helper \(path): \(SandboxError.describe(errno: result))")
        }
        return SlotHelper(pid: pid, control: sockets[0])
    }

    /// Once the helper sits in the slot's cgroups: it starts the slot's bwrap, which is ready when
    /// our run server inside says so. Blocks (at start-up, or after a helper died).
    func startBubblewrap() throws(SandboxError) {
        var go: UInt8 = 1
        guard Glibc.send(control, &go, 1, Int32(MSG_NOSIGNAL)) == 1 else {
            throw .system("send to the sandbox helper", errno: errno)
        }
        var fds = [pollfd(fd: control, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 1, 10_000) == 1 else { throw .setupFailed("the sandbox's bubblewrap did not start within 10 s") }
        let ready = try receiveReply()
        guard ready.error == 0 else {
            throw .configuration("the sandbox's bubblewrap failed (wait status \(ready.waitStatus)); see the judge's stderr")
        }
        // bwrap's pid 1 and, below it, our run server (both up: the server said ready).
        var kept: Set<pid_t> = [pid, ready.pid]
        var parent = ready.pid
        for _ in 0..<2 {
            let children = Posix.readSmallFile("/proc/\(parent)/task/\(parent)/children") ?? ""
            guard let child = children.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.flatMap({ pid_t($0) }) else {
                throw .setupFailed("cannot find the sandbox's run server below bwrap \(ready.pid)")
            }
            kept.insert(child)
            parent = child
        }
        self.kept = kept
    }

    /// Sends one run: its strings (see helper.h) and the descriptors that become its 0, 1, 2 and 3.
    func send(arguments: [String], descriptors: [Int32]) throws(SandboxError) {
        var payload: [UInt8] = []
        payload.reserveCapacity(8 + arguments.reduce(0) { $0 + $1.utf8.count + 1 })
        Self.append(Self.requestMagic, to: &payload)
        Self.append(UInt32(arguments.count), to: &payload)
        for argument in arguments {
            payload += argument.utf8
            payload.append(0)
        }
        guard payload.count <= 256 * 1024 else { throw .invalidRun("the sandbox command line exceeds 256 KiB") }

        let headerSize = MemoryLayout<cmsghdr>.size
        let descriptorBytes = descriptors.count * MemoryLayout<Int32>.size
        var controlBuffer = [UInt8](repeating: 0, count: headerSize + ((descriptorBytes + 7) & ~7))
        let sent = payload.withUnsafeMutableBytes { payloadBytes in
            controlBuffer.withUnsafeMutableBytes { controlBytes in
                let header = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                header.pointee.cmsg_len = headerSize + descriptorBytes
                header.pointee.cmsg_level = SOL_SOCKET
                header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                descriptors.withUnsafeBytes { (controlBytes.baseAddress! + headerSize).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    while true {
                        let n = sendmsg(control, &message, Int32(MSG_NOSIGNAL))
                        if n >= 0 || errno != EINTR { return n }
                    }
                }
            }
        }
        guard sent == payload.count else { throw .system("sendmsg to the sandbox helper", errno: sent < 0 ? errno : EPROTO) }
    }

    /// The reply of the run in flight; call when `control` is readable.
    func receiveReply() throws(SandboxError) -> Reply {
        var words: [Int32] = [0, 0, 0, 0]
        let n = words.withUnsafeMutableBytes { bytes in
            while true {
                let n = recv(control, bytes.baseAddress, bytes.count, 0)
                if n >= 0 || errno != EINTR { return n }
            }
        }
        if n == 0 { throw .setupFailed("the sandbox helper (pid \(pid)) exited") }
        guard n == 16, UInt32(bitPattern: words[0]) == Self.replyMagic else {
            throw .system("recv from the sandbox helper", errno: n < 0 ? errno : EPROTO)
        }
        return Reply(error: words[1], waitStatus: words[2], pid: words[3])
    }

    /// Closes the socket (the helper exits on EOF), makes sure it is gone and reaps it. Blocks.
    func terminate() {
        Posix.close(control)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
