#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local wall-clock time broken into fields, for log headers and file names.
public struct LocalTime: Sendable, Equatable {
  /// Seconds since 1970-01-01 UTC.
  public var epochSeconds: Int
  /// Calendar fields in the local time zone.
  public var year, month, day, hour, minute, second: Int
  /// Offset of the local zone from UTC, in seconds.
  public var utcOffsetSeconds: Int

  /// The time `epochSeconds` (default: now) in the local time zone.
  public init(epochSeconds: Int? = nil) {
    var t = time_t(epochSeconds ?? Int(time(nil)))
    var parts = tm()
    localtime_r(&t, &parts)
    self.epochSeconds = Int(t)
    year = Int(parts.tm_year) + 1900
    month = Int(parts.tm_mon) + 1
    day = Int(parts.tm_mday)
    hour = Int(parts.tm_hour)
    minute = Int(parts.tm_min)
    second = Int(parts.tm_sec)
    utcOffsetSeconds = Int(parts.tm_gmtoff)
  }

  private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }

  /// `YYYYMMDD-HHMMSS`, as used for default session file names.
  public var compact: String {
    pad(year, 4) + pad(month, 2) + pad(day, 2) + "-" + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
  }

  /// ISO 8601 with offset, e.g. `2026-11-21T12:47:13+01:00`.
  public var iso8601: String {
    let off = abs(utcOffsetSeconds) / 60
    let sign = utcOffsetSeconds < 0 ? "-" : "+"
    return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":"
      + pad(minute, 2) + ":" + pad(second, 2) + sign + pad(off / 60, 2) + ":" + pad(off % 60, 2)
  }
}
