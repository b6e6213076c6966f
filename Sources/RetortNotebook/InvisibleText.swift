// Lines that differ only in characters a terminal does not show (a trailing
// CR from a CRLF file, a tab for spaces, a no-break space, a zero-width
// joiner, trailing blanks) look equal in a diff; LineDiff shows such lines
// with those characters escaped, as a Retort string literal would write them.

/// What a line looks like on screen, and the line with its invisible characters escaped.
enum InvisibleText {
  /// The note under a hunk that shows escaped lines (a `\` line, as diff's own notes).
  static let note = "\\ invisible characters are shown escaped (\\r, \\t, \\u{a0}, ...; \\\\ is a backslash)"

  /// `line` as it looks: control and format characters dropped, every run of
  /// blanks (spaces, tabs, no-break spaces, ...) one space, and trailing blanks
  /// dropped (a tab and four spaces can look alike).
  static func looks(_ line: String) -> String {
    var out = String.UnicodeScalarView()
    for u in line.unicodeScalars where !isHidden(u) {
      if !isBlank(u) { out.append(u) } else if out.last != " " { out.append(" ") }
    }
    var s = String(out)
    while s.last == " " { s.removeLast() }
    return s
  }

  /// `line` with every invisible character (and a backslash) escaped; blanks at
  /// its end too, since nothing shows where the line stops.
  static func escaped(_ line: String) -> String {
    let scalars = Array(line.unicodeScalars)
    var end = scalars.count
    while end > 0 && isBlank(scalars[end - 1]) { end -= 1 }
    var out = ""
    for (i, u) in scalars.enumerated() {
      switch u {
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case " " where i < end: out += " "
      default:
        out += isHidden(u) || isBlank(u) ? "\\u{" + String(u.value, radix: 16) + "}" : String(u)
      }
    }
    return out
  }

  /// Control and format characters (CR, NUL, zero-width space, BOM, ...).
  private static func isHidden(_ u: Unicode.Scalar) -> Bool {
    if u == "\t" { return false }
    switch u.properties.generalCategory {
    case .control, .format: return true
    default: return false
    }
  }

  /// Tab and the space separators (a space, a no-break space, an em space, ...).
  private static func isBlank(_ u: Unicode.Scalar) -> Bool {
    u == "\t" || u.properties.generalCategory == .spaceSeparator
  }
}
