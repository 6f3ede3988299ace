#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts detached OS threads for blocking C libraries (libpq, hiredis).
///
/// These threads are neither NIO event loops nor Swift's cooperative pool: a blocking call on
/// either stalls unrelated work (DESIGN §5b measured 93 req/s against 388 req/s).
enum BlockingThread {
    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Runs `body` on a new detached thread named `name` (Linux keeps the first 15 bytes).
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if os(Linux)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            BlockingThread.enter(raw!)
            return nil
        }, start)
        #else
        var thread: pthread_t?
        let result = pthread_create(&thread, nil, { raw in
            BlockingThread.enter(raw)
            return nil
        }, start)
        #endif
        // Without a thread the process cannot make progress on storage at all.
        precondition(result == 0, "pthread_create failed with \(result)")
        #if os(Linux)
        pthread_detach(thread)
        #else
        pthread_detach(thread!)
        #endif
    }

    private static func enter(_ raw: UnsafeMutableRawPointer) {
        let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
        Self.setCurrentName(start.name)
        start.body()
    }

    #if os(Linux)
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    /// Glibc declares `pthread_setname_np` only under _GNU_SOURCE, so Swift cannot see it: look it up.
    private static let setName: SetName? = dlsym(nil, "pthread_setname_np").map { unsafeBitCast($0, to: SetName.self) }
    #endif

    /// Names the current thread (shown by `top -H`, gdb and crash reports).
    static func setCurrentName(_ name: String) {
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        #if os(Linux)
        _ = Self.setName?(pthread_self(), short)
        #else
        _ = pthread_setname_np(short)
        #endif
    }

    /// The current thread's name (for tests and diagnostics); empty if unknown.
    static var currentName: String {
        #if os(Linux)
        guard let file = fopen("/proc/thread-self/comm", "r") else { return "" }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = fread(&buffer, 1, buffer.count, file)
        var name = buffer[..<max(0, count)]
        while name.last == UInt8(ascii: "\n") { name = name.dropLast() }
        return String(decoding: name, as: UTF8.self)
        #else
        var buffer = [CChar](repeating: 0, count: 64)
        _ = pthread_getname_np(pthread_self(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #endif
    }
}

/// A mutex for threads that are allowed to block; idle threads wait on it with a `BlockingSleeper`.
final class BlockingMutex: @unchecked Sendable {
    // @unchecked: the pthread mutex is only touched through the functions below, which are the
    // thread-safe pthread API; the pointer itself never changes.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(self.mutex, nil) }

    deinit {
        pthread_mutex_destroy(self.mutex)
        self.mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(self.mutex) }
    func unlock() { pthread_mutex_unlock(self.mutex) }
    /// Releases the lock until `sleeper` is woken; call with the lock held, in a loop that rechecks.
    func wait(_ sleeper: BlockingSleeper) { pthread_cond_wait(sleeper.condition, self.mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        self.lock()
        defer { self.unlock() }
        return try body()
    }
}

/// One idle thread's own condition variable, used with its pool's `BlockingMutex`, so
/// that a pool can choose which thread to wake. `woken` is guarded by that mutex.
final class BlockingSleeper: @unchecked Sendable {
    // @unchecked: as for BlockingMutex; `woken` is only touched under the pool's lock.
    fileprivate let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var woken = false

    init() { pthread_cond_init(self.condition, nil) }

    deinit {
        pthread_cond_destroy(self.condition)
        self.condition.deallocate()
    }

    /// Call with the pool's lock held.
    func wake() {
        self.woken = true
        pthread_cond_signal(self.condition)
    }
}
