import Foundation

// Terminal column width of text: East Asian wide and fullwidth characters
// (CJK, Hangul, fullwidth forms, most emoji) take two columns; combining
// marks and zero-width characters take none.

/// Column widths of characters and strings in a terminal.
public enum TextWidth {
  /// Columns taken by one Unicode scalar.
  public static func of(_ u: Unicode.Scalar) -> Int {
    let v = u.value
    if v == 0 { return 0 }
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
    if v < 0x300 { return 1 }
    // Combining marks, zero-width joiners and variation selectors.
    if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v)
      || (0x1AB0...0x1AFF).contains(v) || (0x20D0...0x20FF).contains(v) || v == 0x2060 || (0xE0100...0xE01EF).contains(v)
    {
      return 0
    }
    if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
      || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
      || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
      || (0x1F900...0x1F9FF).contains(v) || (0x1F680...0x1F6FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    {
      return 2
    }
    return 1
  }

  /// Columns taken by a string (tabs count as one; strip them before if needed).
  public static func of(_ s: String) -> Int {
    var w = 0
    for u in s.unicodeScalars { w += of(u) }
    return w
  }

  /// The longest prefix of `s` that fits in `width` columns, with an
  /// ellipsis when cut. Newlines and tabs become visible escapes.
  public static func truncate(_ s: String, to width: Int) -> String {
    let flat = s.replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\t", with: " ")
    if of(flat) <= width { return flat }
    guard width > 1 else { return width == 1 ? "…" : "" }
    var out = ""
    var w = 0
    for ch in flat {
      let cw = ch.unicodeScalars.reduce(0) { $0 + of($1) }
      if w + cw > width - 1 { break }
      out.append(ch)
      w += cw
    }
    return out + "…"
  }

  /// `s` padded with spaces to `width` columns (left-aligned unless `right`).
  public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - of(s)))
    return right ? fill + s : s + fill
  }
}
