// CategoryName: the normalised form categories are matched in (judge prompts vs dataset classes).
// It is RetortData's `CategoryLabel.normalize` (NFKC, case-folded, whitespace runs including
// no-break spaces folded to one space, trimmed), so judges and datasets group labels the same way:
// "closed\u{00A0}QA" and "Closed  qa " both become "closed qa".

import RetortData

/// Category-name normalisation (RetortData's rule).
public enum CategoryName {
  /// The normalised form of a category label.
  public static func normalize(_ label: String) -> String { CategoryLabel.normalize(label) }
}
