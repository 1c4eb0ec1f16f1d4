import Testing

@testable import ProvisioningAPI

@Suite struct AsyncSemaphoreTests {
    @Test func waitersAreServedInOrderAndCancellationLeavesTheQueue() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let cancelled = Task { try await semaphore.acquire() }
        let served = Task {
            try await semaphore.acquire()
            semaphore.release()
            return true
        }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        semaphore.release()
        #expect(try await served.value)
        // The permit came back: it can be taken again at once.
        try await semaphore.acquire()
        semaphore.release()
    }

    @Test func limitsConcurrency() async throws {
        let semaphore = AsyncSemaphore(permits: 3)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await semaphore.withPermit {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(5))
                        await gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.peak == 3)
    }
}

private actor Gauge {
    private var current = 0
    private(set) var peak = 0

    func enter() {
        current += 1
        peak = max(peak, current)
    }

    func leave() { current -= 1 }
}
