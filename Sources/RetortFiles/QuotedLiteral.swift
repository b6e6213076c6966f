// Text as a quoted literal. `quotedLiteral` is how every message and display
// shows a piece of text: a literal of the Retort language, which reads back as
// the same string. Quotes, backslashes and controls are escaped, and so are
// characters that look like a space or like nothing (BELLE's "closed\u{a0}qa"
// must not show as "closed qa"); everything else, apostrophes and CJK
// included, is itself. `jsonQuoted` is the JSON string literal files carry.

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

  /// This text as a JSON string literal: quotes, backslashes and controls (and DEL) escaped.
  public var jsonQuoted: String {
    var out = "\""
    for u in unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20 || u.value == 0x7F:
        let hex = String(u.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }
}
