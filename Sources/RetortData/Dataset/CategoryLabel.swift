// Category labels in real data are untidy: BELLE writes `closed\u{00A0}qa`
// with a no-break space in its eval set and `closed\u{00A0}QA` in its judge
// prompts. Labels are compared in a normalised form; the original is kept.

import Foundation

/// Normalisation of category labels for comparison and grouping.
public enum CategoryLabel {
  /// The comparison key of `label`: Unicode NFKC, case-folded, every run of
  /// whitespace (including no-break and ideographic spaces) folded to one
  /// ASCII space, trimmed. `"Closed\u{00A0}QA "` -> `"closed qa"`.
  public static func normalize(_ label: String) -> String {
    let nfkc = label.utf8.allSatisfy { $0 < 0x80 } ? label : label.precomposedStringWithCompatibilityMapping
    let folded = nfkc.folding(options: [.caseInsensitive], locale: nil)
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for u in folded.unicodeScalars {
      if u.properties.isWhitespace || u == "\u{200B}" || u == "\u{FEFF}" {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace { out.append(" "); pendingSpace = false }
      out.append(u)
    }
    return String(out)
  }
}
