// CategoryName: the normalised form categories are matched in (judge prompts vs dataset classes):
// NFKC, case-folded, every run of whitespace (including no-break spaces) folded to one space,
// trimmed. "closed\u{00A0}QA" and "Closed  qa " both become "closed qa".
// (RetortData's dataset work may add the same rule; this is the judge's copy until it lands.)

import Foundation

/// Category-name normalisation.
public enum CategoryName {
  /// The normalised form of a category label.
  public static func normalize(_ label: String) -> String {
    let folded = label.precomposedStringWithCompatibilityMapping
      .folding(options: [.caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    var out = ""
    var pendingSpace = false
    for ch in folded {
      if ch.isWhitespace {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace { out.append(" "); pendingSpace = false }
        out.append(ch)
      }
    }
    return out
  }
}
