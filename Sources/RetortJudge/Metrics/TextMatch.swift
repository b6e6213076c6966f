// Exact match and containment after normalisation: both texts go through the shared
// `MetricTokenizer` (NFKC, lower-cased words, one token per CJK character, punctuation and spacing
// dropped), so "Paris." matches "paris" and "北 京！" matches "北京". Texts with no tokens at all
// (only punctuation or empty) are compared as trimmed NFKC strings.

import Foundation
import RetortData

/// Exact-match and containment checks on normalised text.
public enum TextMatch {
  /// True when `answer` equals `reference` after normalisation.
  public static func exact(_ answer: String, _ reference: String) -> Bool {
    let a = MetricTokenizer.tokens(answer), r = MetricTokenizer.tokens(reference)
    if a.isEmpty && r.isEmpty { return trimmed(answer) == trimmed(reference) }
    return a == r
  }

  /// True when the normalised `reference` occurs as a contiguous run inside the normalised `answer`.
  /// A reference with no tokens is contained only if its trimmed text occurs in the answer.
  public static func contains(_ answer: String, _ reference: String) -> Bool {
    let a = MetricTokenizer.tokens(answer), r = MetricTokenizer.tokens(reference)
    if r.isEmpty {
      let t = trimmed(reference)
      return !t.isEmpty && trimmed(answer).contains(t)
    }
    guard a.count >= r.count else { return false }
    for i in 0...(a.count - r.count) where a[i] == r[0] {
      if a[i..<(i + r.count)].elementsEqual(r) { return true }
    }
    return false
  }

  static func trimmed(_ s: String) -> String {
    s.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
