// ScoreParser: reads the score out of a judge model's free-text reply.
//
// The reply is first NFKC-normalised (full-width digits and colons become ASCII). Then, in order:
// 1. Labelled scores: `得分` `评分` `分数` `打分` `score` `rating` (any case), optionally after
//    `最终`/`总`/`综合`/`最后`/`final`/`overall`, optionally in `**` and followed by a scale in
//    brackets (`得分（0-1）`), then an optional `:` `：` `=` `为` `是` `is` and optional `**`,
//    then a number (an exponent allowed: `1e-1`), optionally followed by `%` (divide by 100), `/N` (divide by N) or `分`.
//    If several are present, the last with a final marker wins; without one they must agree
//    ("得分：0.8 ... 因此得分：0.8"), or the reply is ambiguous (`JudgeError.ambiguousScore`), a
//    failure: "标准答案的得分是1，模型回答的得分是0.5" is not read as either.
//    Also a number given in points: `给`/`打`/`评`/`得` (optionally `出`/`了`/`予`), a number, `分`
//    ("我给0.6分", "打0.8分", "应得1分").
// 2. A fraction `a/b` anywhere with b in {1, 5, 10, 100} (e.g. "8/10"), its sign kept ("-3/10");
//    one right after a number and a dash ("7-8/10", a range) is not read. Several different ones
//    ("标准答案为3/5，模型回答为2/5") are ambiguous, as above.
// 3. A bare number: the whole reply, or its first or last non-empty line, is just a number
//    (optionally with `分`, `%` or trailing punctuation).
// A value above 1 on a scale the reply states ("得分：8分（满分10分）", "7 out of 10") is divided by it.
// A value within 0.05 of [0, 1] (a judge's rounding, "1.02") is clamped to it; one further out may
// be on another scale ("Score: 7" out of 10, "1.5" out of 5) and is `JudgeError.scoreOutOfRange`,
// a failure the report counts, never a silent 1. No score -> `JudgeError.noScore(reply:)`, never a silent 0.

import Foundation

/// A score read from a judge reply.
public struct ParsedScore: Sendable, Equatable {
  /// The score clamped to [0, 1].
  public var value: Double
  /// The text the score was read from (e.g. `得分: 0.8`).
  public var matched: String
}

/// Parses scores out of judge replies (Chinese and English formats).
public enum ScoreParser {
  nonisolated(unsafe) private static let labelled =
    #/(?i)(最终|总|综合|最后|final\s+|overall\s+)?(得分|评分|分数|打分|score|rating)\s*(?:\*\*)?\s*(?:[(（][^()（）\n]{0,12}[)）])?\s*(?:[:=]|为|是|is)?\s*(?:\*\*)?\s*([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:\*\*)?\s*(%|/\s*(\d+(?:\.\d+)?)|分)?/#
  nonisolated(unsafe) private static let scale =
    #/(?i)满分\s*(?:为|是)?\s*(\d+(?:\.\d+)?)|out\s+of\s+(\d+(?:\.\d+)?)/#
  nonisolated(unsafe) private static let given =
    #/(?:给|打|评|得)(?:出|了|予)?\s*([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)\s*分/#
  nonisolated(unsafe) private static let fraction =
    #/(?:^|[^\d.+\-])([-+]?\d+(?:\.\d+)?)\s*/\s*(100|10|5|1)(?!\d|\.\d)/#
  nonisolated(unsafe) private static let outOf =
    #/(?i)(?:^|[^\d.+\-])([-+]?\d+(?:\.\d+)?)\s+out\s+of\s+(100|10|5|1)(?!\d|\.\d)/#
  nonisolated(unsafe) private static let bare =
    #/^\s*(?:\*\*)?([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)(?:\*\*)?\s*(%|分)?\s*[。.!！]?\s*$/#

  /// Parses the score of `reply`.
  /// - Throws: `JudgeError.noScore(reply:)` with the raw reply when no score is found, and
  ///   `JudgeError.scoreOutOfRange` when the score is far outside 0...1.
  public static func parse(_ reply: String) throws -> ParsedScore {
    var p = try find(reply)
    // The reply's own scale: "满分10分", "out of 10".
    if p.value > 1.05, let m = ends(of: reply).precomposedStringWithCompatibilityMapping.firstMatch(of: scale),
       let top = Double(String(m.output.1 ?? m.output.2 ?? "")), top > 1, p.value <= top {
      p = ParsedScore(value: p.value / top, matched: p.matched + " (of " + String(m.output.0) + ")")
    }
    guard p.value >= -0.05, p.value <= 1.05 else {
      throw JudgeError.scoreOutOfRange(value: p.value, matched: p.matched, reply: reply)
    }
    return ParsedScore(value: clamp(p.value), matched: p.matched)
  }

  /// The first score in `reply`, as written (not yet checked or clamped).
  static func find(_ reply: String) throws -> ParsedScore {
    // A runaway reply (megabytes) is read at its start and end, where judges put the score:
    // the regexes over all of it took over a second per megabyte.
    let text = ends(of: reply).precomposedStringWithCompatibilityMapping
    var unmarked: [ParsedScore] = [], marked: ParsedScore?
    for m in text.matches(of: labelled) {
      guard var v = Double(String(m.output.3)) else { continue }
      if let suffix = m.output.4 {
        if suffix == "%" { v /= 100 }
        else if let d = m.output.5, let den = Double(String(d)) {
          guard den > 0 else { continue }
          v /= den
        }
      }
      let parsed = ParsedScore(value: v, matched: String(m.output.0))
      if m.output.1 != nil { marked = parsed } else { unmarked.append(parsed) }
    }
    if let marked { return marked }
    if let first = try agreed(unmarked, reply) { return first }
    if let m = text.firstMatch(of: given), let v = Double(String(m.output.1)) {
      return ParsedScore(value: v, matched: String(m.output.0))
    }
    // "8/10", and "7 out of 10" as a fraction.
    func ratio(_ top: Substring, _ bottom: Substring, _ between: String) -> ParsedScore? {
      guard let a = Double(String(top)), let b = Double(String(bottom)), b > 0 else { return nil }
      return ParsedScore(value: a / b, matched: top + between + bottom)
    }
    let fractions = text.matches(of: fraction).compactMap { ratio($0.output.1, $0.output.2, "/") }
      + text.matches(of: outOf).compactMap { ratio($0.output.1, $0.output.2, " out of ") }
    if let first = try agreed(fractions, reply) { return first }
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
      .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    for candidate in [text] + [lines.first, lines.last].compactMap({ $0 }) {
      if let m = candidate.wholeMatch(of: bare), var v = Double(String(m.output.1)) {
        if m.output.2 == "%" { v /= 100 }
        return ParsedScore(value: v, matched: candidate.trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }
    throw JudgeError.noScore(reply: reply)
  }

  /// The first of `scores` when they all agree; nil for none.
  /// - Throws: `JudgeError.ambiguousScore` when they differ.
  static func agreed(_ scores: [ParsedScore], _ reply: String) throws -> ParsedScore? {
    guard let first = scores.first else { return nil }
    guard scores.allSatisfy({ $0.value == first.value }) else {
      throw JudgeError.ambiguousScore(scores: scores.map(\.matched), reply: reply)
    }
    return first
  }

  /// UTF-8 bytes kept at each end of a runaway reply.
  static let endBytes = 32_768

  /// `reply` cut to its first and last `endBytes`, with the cut marked, when it is
  /// longer than both: where judges put the score, and all that is read of it.
  /// Judge calls also store replies so, rather than megabytes per item.
  static func ends(of reply: String) -> String {
    let utf8 = reply.utf8
    guard utf8.count > 2 * endBytes else { return reply }
    let head = String(reply[..<utf8.index(utf8.startIndex, offsetBy: endBytes)])
    let tail = String(reply[utf8.index(utf8.endIndex, offsetBy: -endBytes)...])
    let omitted = utf8.count - head.utf8.count - tail.utf8.count
    return head + "\n[... \(omitted) bytes of the reply omitted ...]\n" + tail
  }

  /// Into 0...1 (+ 0 turns "-0" into 0).
  static func clamp(_ v: Double) -> Double { min(1, max(0, v)) + 0 }
}
