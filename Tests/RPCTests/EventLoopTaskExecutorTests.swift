import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import RPC

@Suite("Handlers' task executor on an event loop", .timeLimit(.minutes(1)))
struct EventLoopTaskExecutorTests {
    @Test("tasks preferring the executor run on its loop, before and after suspending, when resumed from other threads")
    func runsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoop: group.next())
        let results = try await withThrowingTaskGroup(of: (Bool, Bool).self) { tasks in
            for index in 0..<500 {
                tasks.addTask(executorPreference: executor) {
                    let before = executor.eventLoop.inEventLoop
                    // Resumed from a global-pool thread: the task must come back to the loop.
                    await withCheckedContinuation { continuation in
                        Task.detached { continuation.resume() }
                    }
                    if index % 2 == 0 { try await Task.sleep(for: .milliseconds(1)) }
                    return (before, executor.eventLoop.inEventLoop)
                }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        try await group.shutdownGracefully()
        #expect(results.count == 500)
        #expect(results.allSatisfy { $0.0 && $0.1 })
    }

    @Test("jobs run in the order they were enqueued")
    func fifo() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(eventLoop: loop)
        let order = NIOLockedValueBox<[Int]>([])
        // Started from the loop itself, so that all 200 jobs queue before the first one runs.
        let tasks = try await loop.submit {
            (0..<200).map { index in
                Task(executorPreference: executor) { order.withLockedValue { $0.append(index) } }
            }
        }.get()
        for task in tasks { await task.value }
        try await group.shutdownGracefully()
        #expect(order.withLockedValue { $0 } == Array(0..<200))
    }
}
