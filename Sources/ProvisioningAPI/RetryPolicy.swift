import Foundation

/// When and how long to wait before sending a request again.
///
/// Retried: `429`, `500`, `502`, `503`, `504` and connection failures, for GET, PUT, PATCH and DELETE. POST follows
/// the rules in ``ProvisioningClient`` (see "POST and unknown outcomes" there). Waits use capped exponential backoff
/// with full jitter; a `Retry-After` header (seconds or an HTTP date) replaces the backoff, up to ``maxRetryAfter``.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, including the first (1 disables retries).
    public var maxAttempts: Int
    /// The backoff before the second attempt, before jitter; it doubles with each further attempt.
    public var baseDelay: Duration
    /// The largest backoff, before jitter.
    public var maxDelay: Duration
    /// The longest wait a `Retry-After` header may ask for; longer requests are shortened to this.
    public var maxRetryAfter: Duration

    /// Creates a policy; the defaults suit the real API (8 attempts, 200 ms doubling up to 10 s, Retry-After ≤ 60 s).
    ///
    /// Eight attempts, not five: a plan of a project of 500 resources reads about 200 list pages, and where one
    /// answer in five is a fault (`sinchform-bench chaos`), five attempts leave one read in 3,000 failed, so about one
    /// such plan (and the apply it belongs to) in fifteen; eight leave one read in 390,000. An outage still fails a read
    /// after about 11 s of backoff on average (at most 23 s).
    public init(
        maxAttempts: Int = 8, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// HTTP statuses that mean "not done, try again later". `500` is included: the API answers it for transient
    /// faults too, and an idempotent request cannot do harm by being sent again (DESIGN: retried on 429/5xx).
    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// The wait after failed attempt number `attempt` (1-based): a `Retry-After` value when given, else a random
    /// duration in `0...min(maxDelay, baseDelay × 2^(attempt-1))`.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingSeconds = Self.seconds(ceiling)
        guard ceilingSeconds > 0 else { return .zero }
        // range-checked: at most maxDelay, a setting of ours.
        return .milliseconds(Int64((Double.random(in: 0...ceilingSeconds) * 1000).rounded()))
    }

    /// The longest `Retry-After` read as such; any longer value (`1e300`, twenty digits) is read as this, before it
    /// is converted, and ``delay(afterAttempt:retryAfter:)`` then shortens it to ``maxRetryAfter``.
    static let retryAfterCeiling: Double = 86_400

    /// Parses a `Retry-After` value: delay-seconds or an HTTP date (IMF-fixdate). Negative, `nan` and unreadable
    /// values are ignored (the backoff applies); huge ones are clamped to ``retryAfterCeiling``.
    static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let seconds: Double
        if let number = Double(trimmed) {
            seconds = number
        } else if let date = parseHTTPDate(trimmed) {
            seconds = max(0, date.timeIntervalSince(now))
        } else {
            return nil
        }
        guard seconds >= 0, !seconds.isNaN else { return nil }
        // range-checked: not negative, not NaN, at most retryAfterCeiling.
        return .milliseconds(Int64((min(seconds, retryAfterCeiling) * 1000).rounded()))
    }

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" || parts[5] == "UTC" else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let time = parts[4].split(separator: ":")
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3]), time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]),
            let second = Int(time[2]),
            // Range-checked before the calendar sees them: a year of nineteen digits is no date.
            (1...9999).contains(year), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
