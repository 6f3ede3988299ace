import Testing

@testable import JudgeService

@Suite struct ProgressThrottleTests {
    @Test func theFirstReportGoesThenAtMostOnePerInterval() {
        let throttle = ProgressThrottle(interval: .milliseconds(100))
        let start = ContinuousClock.now
        #expect(throttle.shouldSend(now: start))
        #expect(!throttle.shouldSend(now: start + .milliseconds(10)))
        #expect(!throttle.shouldSend(now: start + .milliseconds(99)))
        #expect(throttle.shouldSend(now: start + .milliseconds(100)))
        #expect(!throttle.shouldSend(now: start + .milliseconds(150)))
        #expect(throttle.shouldSend(now: start + .milliseconds(200)))
    }

    @Test func aZeroIntervalSendsEveryReport() {
        let throttle = ProgressThrottle(interval: .zero)
        let now = ContinuousClock.now
        #expect((0..<5).allSatisfy { _ in throttle.shouldSend(now: now) })
    }
}
