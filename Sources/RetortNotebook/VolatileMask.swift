// VolatileMask: the ONE rule that keeps volatile output out of `replay --check`.
//
// Before two outputs are compared, every line of both goes through `apply`:
//
//   1. Bars: only the bar itself becomes "<bar>"; the rest of its line is still
//      compared (a judge report row keeps its n, mean, sd and CI checked).
//      - A run of block-element glyphs (U+2580-U+259F), with any spaces between
//        two of them, as in "▕██████▌   ▏" or a report's "██████████▋".
//      - An ASCII bar, only on a progress line: "[", fill ("#" or "=", with an
//        optional ">" head), empty space (" ", ".", "-", "_"), "]", at least 5
//        characters inside, directly beside a percentage or a done/total count,
//        on either side: "[#####     ] 50%", "3/10 [===>      ]", "[##   ] 3/10". Brackets in ordinary text
//        ("[...]", "[____]", "[  ]") are left alone.
//   2. Dates and times: ISO 8601 dates and date-times ("2026-11-21",
//      "2026-11-21T12:47:13.5+01:00", "2026-11-21 12:47"), compact stamps
//      ("20261121-124713", as in session file names) become "<date>"; clock
//      times with seconds ("12:47:13", "0:03:07.25") become "<time>".
//   3. ETA / elapsed fields: the value after "ETA", "eta", "elapsed" (optionally
//      followed by ":" or "=") becomes "<*>".
//   4. Durations and rates: a number directly followed (optionally after one
//      space) by a time or rate unit has its digits replaced by "<n>", keeping
//      the unit. Units: ns us µs μs ms s sec secs second(s) min mins minute(s)
//      h hr hrs hour(s) s/it, any "<word>/s" or "<word>/sec" (tok/s, it/s,
//      samples/s, GB/s, /s), and FLOPS with an optional SI prefix (GFLOPS).
//      So "12.5 ms", "3s", "850 tok/s", "1.2e3 GFLOPS" all compare equal to
//      any other value with the same unit, while "12 items" or "3 sets" do not.
//
// Nothing else is masked: all other text, numbers and whitespace must match exactly.
// Progress bars are never recorded by design (they are drawn on the terminal
// only); rule 1 is a safety net for them, and keeps a judge report's score bar
// (drawn from the mean, which stays compared) from being checked twice.

/// Masks volatile parts of output lines (durations, rates, dates, bars)
/// before `replay --check` compares them. The rule is in this file's header.
public enum VolatileMask {
  nonisolated(unsafe) private static let blockBar = #/[\u{2580}-\u{259F}](?:[\u{2580}-\u{259F} ]*[\u{2580}-\u{259F}])?/#
  /// An ASCII bar with a percentage or a count beside it (captured so they stay).
  nonisolated(unsafe) private static let asciiBar =
    #/(?<before>\b\d+/\d+ +|\b\d+(?:\.\d+)?% *)?(?<bar>\[(?=[#=>. \-_]{5,}\])[#=]*>?[ .\-_]*\])(?<after> *\d+(?:\.\d+)?%| +\d+/\d+\b)?/#
    .wordBoundaryKind(.simple)
  nonisolated(unsafe) private static let dateTime =
    #/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?|\b\d{8}-\d{6}\b/#
    .wordBoundaryKind(.simple)
  nonisolated(unsafe) private static let clock = #/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/#.wordBoundaryKind(.simple)
  nonisolated(unsafe) private static let eta =
    #/\b(?<label>ETA|eta|elapsed)(?<sep>[:=]? *)(?<value>[^\s,;)\]]+)/#.wordBoundaryKind(.simple)
  nonisolated(unsafe) private static let quantity =
    #/\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?<unit> ?(?:[A-Za-zµμ]*\/s(?:ec)?|s\/it|[kKMGTP]?FLOPS|ns|us|µs|μs|ms|secs?|seconds?|s|mins?|minutes?|hrs?|hours?|h)\b)/#
    .wordBoundaryKind(.simple)

  /// The placeholder for a masked bar.
  public static let barPlaceholder = "<bar>"

  /// Returns `line` with its volatile parts replaced by placeholders.
  public static func apply(_ line: String) -> String {
    var s = line
    if s.unicodeScalars.contains(where: { (0x2580...0x259F).contains($0.value) }) {
      s.replace(blockBar) { _ in barPlaceholder }
    }
    if s.contains("[") {
      s.replace(asciiBar) { m in
        // Ordinary bracketed text has no percentage or count beside it.
        guard m.output.before != nil || m.output.after != nil else { return String(m.output.0) }
        return (m.output.before.map(String.init) ?? "") + barPlaceholder + (m.output.after.map(String.init) ?? "")
      }
    }
    s.replace(dateTime) { _ in "<date>" }
    s.replace(clock) { _ in "<time>" }
    s.replace(eta) { m in m.output.label + m.output.sep + "<*>" }
    s.replace(quantity) { m in "<n>" + m.output.unit }
    return s
  }

  /// True when two lines are equal after masking.
  public static func same(_ a: String, _ b: String) -> Bool {
    a == b || apply(a) == apply(b)
  }
}
