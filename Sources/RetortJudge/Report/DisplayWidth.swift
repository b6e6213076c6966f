// DisplayWidth: terminal column width of text, so tables with Chinese labels line up.
// East Asian Wide and Fullwidth characters take two columns, combining marks and zero-width
// characters none, everything else one.

/// Terminal display width.
public enum DisplayWidth {
  /// Columns `text` takes in a terminal.
  public static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width($1) }
  }

  /// Columns of one scalar (0, 1 or 2).
  public static func width(_ u: Unicode.Scalar) -> Int {
    let v = u.value
    if v == 0x200B || v == 0x200C || v == 0x200D || v == 0xFEFF { return 0 }
    switch u.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return 0
    default: break
    }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }

  /// `text` padded with spaces (or cut, marking the cut with `…`) to exactly `columns` columns.
  public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
    var w = of(text)
    var t = text
    if w > columns {
      var out = ""
      var used = 0
      for ch in text {
        let cw = of(String(ch))
        if used + cw > columns - 1 { break }
        out.append(ch)
        used += cw
      }
      t = out + "…"
      w = used + 1
    }
    let fill = String(repeating: " ", count: max(0, columns - w))
    return alignRight ? fill + t : t + fill
  }

  /// A horizontal bar of `value` in [0, 1] over `columns` columns, in eighth blocks.
  public static func bar(_ value: Double, columns: Int) -> String {
    guard value.isFinite, columns > 0 else { return "" }
    let eighths = Int((min(1, max(0, value)) * Double(columns * 8)).rounded())
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
  }
}
