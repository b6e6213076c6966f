// Progress for long primitives: count, rate and ETA. Drawn on the terminal
// (standard error), or written there as occasional plain lines when it is a
// log; never written to a session log, so replays compare only results. A
// primitive asks the interpreter for a sink and reports.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives progress from a long-running primitive.
public protocol ProgressSink: AnyObject {
  /// `done` of `total` units finished; `note` is extra text (e.g. "loss 2.31").
  func update(done: Int, note: String)
  /// The work ended (completed, failed or interrupted).
  func finish()
}

/// A sink that draws nothing.
public final class SilentProgress: ProgressSink {
  public init() {}
  public func update(done: Int, note: String) {}
  public func finish() {}
}

/// A one-line progress bar on a terminal:
/// `answering  412/1000 [████████░░░░░░░░] 41%  18.2 it/s  ETA 32s  note`.
public final class ProgressBar: ProgressSink {
  let label: String
  let total: Int?
  let unit: String
  let write: (String) -> Void
  /// Columns of the terminal (0: unknown); the line is cut to fit, since a
  /// wrapped line cannot be redrawn in place.
  let width: () -> Int
  var lastDraw = 0.0
  var drew = false
  var baseline = ProgressBaseline()

  public init(label: String, total: Int?, unit: String = "it", width: @escaping () -> Int = { 0 },
              write: @escaping (String) -> Void) {
    self.label = label
    self.total = total
    self.unit = unit
    self.width = width
    self.write = write
  }

  public func update(done: Int, note: String) {
    let now = monotonicSeconds()
    let (since, elapsed) = baseline.measure(done: done, now: now)
    let isLast = total.map { done >= $0 } ?? false
    if now - lastDraw < 0.1 && !isLast { return }
    lastDraw = now
    drew = true
    var text = ProgressBar.line(label: label, done: done, total: total, elapsed: elapsed, unit: unit, note: note, since: since)
    let w = width()
    if w > 10 && text.count > w - 1 { text = String(text.prefix(w - 2)) + "…" }
    write("\r\u{1B}[2K" + text)
  }

  public func finish() { clear() }

  /// Erases the bar (before other output shares its line); the next update draws it again.
  public func clear() {
    if drew { write("\r\u{1B}[2K") }
    drew = false
  }

  /// The bar's text, without terminal control codes.
  /// `since`: units done when the timing started `elapsed` seconds ago (left out of the rate).
  public static func line(label: String, done: Int, total: Int?, elapsed: Double, unit: String, note: String,
                          since: Int = 0) -> String {
    let rate = progressRate(done: done, since: since, elapsed: elapsed)
    let rateText = elapsed > 0 ? formatRate(rate) : "?"
    var s = label
    if let total = total, total > 0 {
      let frac = min(1, Double(done) / Double(total))
      let cells = 20
      let full = Int(frac * Double(cells))
      s += "  \(done)/\(total) [" + String(repeating: "█", count: full) + String(repeating: "░", count: cells - full) + "]"
      s += " \(Int(frac * 100))%"
      s += "  \(rateText) \(unit)/s  ETA \(formatDuration(progressETA(done: done, total: total, rate: rate)))"
    } else {
      s += "  \(done)  \(rateText) \(unit)/s  \(formatDuration(elapsed))"
    }
    if !note.isEmpty { s += "  " + note }
    return s
  }
}

/// Progress as plain lines, for standard error that is not a terminal (a
/// log of an unattended run): a line every `interval` seconds of long work
/// and a last one when it ends; work shorter than `interval` writes nothing.
public final class ProgressLog: ProgressSink {
  let label: String
  let total: Int?
  let unit: String
  let interval: Double
  let write: (String) -> Void
  let start: Double
  var last: Double
  var done = 0, note = "", wrote = false
  var baseline = ProgressBaseline()

  public init(label: String, total: Int?, unit: String = "it", interval: Double = 10, write: @escaping (String) -> Void) {
    self.label = label
    self.total = total
    self.unit = unit
    self.interval = interval
    self.write = write
    start = monotonicSeconds()
    last = start
  }

  public func update(done: Int, note: String) {
    self.done = done
    self.note = note
    let now = monotonicSeconds()
    let (since, elapsed) = baseline.measure(done: done, now: now)
    // The last unit is reported by finish(), with the time taken.
    if now - last < interval || total.map({ done >= $0 }) == true { return }
    last = now
    wrote = true
    write(ProgressLog.line(label: label, done: done, total: total, elapsed: elapsed, unit: unit, note: note, since: since) + "\n")
  }

  public func finish() {
    guard wrote else { return }
    let now = monotonicSeconds()
    let (since, elapsed) = baseline.measure(done: done, now: now)
    write(ProgressLog.line(label: label, done: done, total: total, elapsed: elapsed, unit: unit, note: note, since: since)
          + ", ended after \(formatDuration(now - start))\n")
  }

  /// `training 12/40 (30%), 1.52 it/s, ETA 18s, loss 1.234`.
  public static func line(label: String, done: Int, total: Int?, elapsed: Double, unit: String, note: String,
                          since: Int = 0) -> String {
    let rate = progressRate(done: done, since: since, elapsed: elapsed)
    var s = label + " \(done)"
    if let total, total > 0 {
      s += "/\(total) (\(Int(min(1, Double(done) / Double(total)) * 100))%), \(formatRate(rate)) \(unit)/s"
      s += ", ETA " + formatDuration(progressETA(done: done, total: total, rate: rate))
    } else {
      s += ", \(formatRate(rate)) \(unit)/s"
    }
    return note.isEmpty ? s : s + ", " + note
  }
}

/// Where rates are measured from: the first update. Work finished before it (a
/// resumed run, cached answers, or a first batch of unknown duration, such as
/// dedup's first 128 records) stays out of the rate and ETA.
struct ProgressBaseline {
  private var first: (done: Int, time: Double)?

  /// Units done at the first update, and seconds since it.
  mutating func measure(done: Int, now: Double) -> (since: Int, elapsed: Double) {
    let f = first ?? (done, now)
    first = f
    return (f.done, now - f.time)
  }
}

/// Units per second, leaving out the `since` units done before the timing started.
func progressRate(done: Int, since: Int, elapsed: Double) -> Double {
  elapsed > 0 ? Double(done - since) / elapsed : 0
}

/// Seconds left at `rate`; infinite (shown as "?") before there is a rate.
func progressETA(done: Int, total: Int, rate: Double) -> Double {
  rate > 0 ? Double(max(0, total - done)) / rate : .infinity
}

/// `12.3` style rate with sensible digits.
public func formatRate(_ r: Double) -> String {
  if r >= 100 { return String(Int(r.rounded())) }
  if r >= 10 { return String(Double(Int(r * 10)) / 10) }
  return String(Double(Int(r * 100)) / 100)
}

/// `45s`, `3m05s`, `1h02m`.
public func formatDuration(_ s: Double) -> String {
  guard s.isFinite, s >= 0 else { return "?" }
  // Past ten thousand years an ETA says nothing more (and Int(s) would overflow).
  guard s < 3.2e11 else { return ">10000y" }
  let t = Int(s.rounded())
  if t < 60 { return "\(t)s" }
  if t < 3600 { return "\(t / 60)m\(t % 60 < 10 ? "0" : "")\(t % 60)s" }
  return "\(t / 3600)h\((t % 3600) / 60 < 10 ? "0" : "")\((t % 3600) / 60)m"
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
