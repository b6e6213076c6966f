// RetryPolicy: exponential backoff for retryable judge-call failures (timeouts, dropped
// connections, 429, 5xx). The n-th retry waits initialDelay * multiplier^(n-1), capped at maxDelay;
// a 429/503 Retry-After replaces that wait (capped at maxRetryAfter). No jitter, so runs are
// reproducible; the concurrency limit already bounds the load.

/// How often and how long to retry a judge call.
public struct RetryPolicy: Sendable, Codable, Equatable {
  /// Total attempts including the first (1 = never retry).
  public var maxAttempts: Int
  /// Wait before the first retry, seconds.
  public var initialDelay: Double
  /// Growth factor per retry.
  public var multiplier: Double
  /// Longest computed wait, seconds.
  public var maxDelay: Double
  /// Longest Retry-After honoured, seconds.
  public var maxRetryAfter: Double

  /// Creates a policy.
  public init(maxAttempts: Int = 5, initialDelay: Double = 1, multiplier: Double = 2, maxDelay: Double = 60,
              maxRetryAfter: Double = 300) {
    self.maxAttempts = max(1, maxAttempts)
    self.initialDelay = max(0, initialDelay)
    self.multiplier = max(1, multiplier)
    self.maxDelay = max(0, maxDelay)
    self.maxRetryAfter = max(0, maxRetryAfter)
  }

  /// Seconds to wait before retry number `retry` (1-based), given the server's Retry-After.
  public func delay(retry: Int, retryAfter: Double?) -> Double {
    if let r = retryAfter { return min(r, maxRetryAfter) }
    var d = initialDelay
    for _ in 1..<max(1, retry) { d *= multiplier }
    return min(d, maxDelay)
  }
}
