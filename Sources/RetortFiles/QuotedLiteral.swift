// How every message and display shows a piece of text: as a double-quoted
// literal of the Retort language, which reads back as the same string.
// Quotes, backslashes and controls are escaped, and so are characters that
// look like a space or like nothing (BELLE's "closed\u{a0}qa" must not show
// as "closed qa"); everything else, apostrophes and CJK included, is itself.

extension String {
  /// This text as a double-quoted literal (see the file comment).
  public var quotedLiteral: String {
    var out = "\""
    for u in unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        // Controls, no-break spaces, zero-width and direction marks, line separators, BOM.
        if u.value < 0x20 || u.value == 0x7F || (0x80...0xA0).contains(u.value) || u.value == 0xAD
          || (0x200B...0x200F).contains(u.value) || (0x2028...0x202F).contains(u.value)
          || (0x2060...0x2064).contains(u.value) || u.value == 0xFEFF {
          out += "\\u{\(String(u.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
