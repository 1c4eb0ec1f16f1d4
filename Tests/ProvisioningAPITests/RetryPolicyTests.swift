import Foundation
import Testing

@testable import ProvisioningAPI

@Suite struct RetryPolicyTests {
    @Test func backoffIsCappedWithFullJitter() {
        let policy = RetryPolicy(baseDelay: .milliseconds(200), maxDelay: .seconds(1))
        for attempt in 1...8 {
            let ceiling = min(Duration.seconds(1), .milliseconds(200) * (1 << (attempt - 1)))
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
    }

    @Test func retryAfterIsHonouredUpToTheCap() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(5))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(2)) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(120)) == .seconds(5))
    }

    @Test func parsesRetryAfterSecondsAndDates() throws {
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == .zero)
        let now = try #require(RetryPolicy.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(now.timeIntervalSince1970 == 784_111_777)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:27 GMT", now: now) == .zero)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }
}
