// Timing helpers shared by every suite: a monotonic clock, repeated runs
// and medians (the machine is shared and noisy, so medians are quoted).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in seconds.
public func benchNow() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Runs `body` `warmup` times untimed, then `repeats` times, and returns
/// each timed run's seconds.
public func benchTimes(repeats: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> [Double] {
  for _ in 0..<warmup { try body() }
  var times: [Double] = []
  times.reserveCapacity(repeats)
  for _ in 0..<max(1, repeats) {
    let t0 = benchNow()
    try body()
    times.append(benchNow() - t0)
  }
  return times
}

/// The median of `xs` (mean of the middle two for an even count).
public func median(_ xs: [Double]) -> Double {
  guard !xs.isEmpty else { return .nan }
  let s = xs.sorted()
  let m = s.count / 2
  return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/// Peak resident set size of this process in MB (VmHWM on Linux).
public func peakResidentMB() -> Double {
  #if os(Linux)
  guard let f = fopen("/proc/self/status", "r") else { return .nan }
  defer { fclose(f) }
  var line = [CChar](repeating: 0, count: 256)
  while fgets(&line, 256, f) != nil {
    let s = String(cString: line)
    if s.hasPrefix("VmHWM:") {
      let digits = s.filter { $0.isNumber }
      return (Double(digits) ?? .nan) / 1024
    }
  }
  return .nan
  #else
  return .nan
  #endif
}
