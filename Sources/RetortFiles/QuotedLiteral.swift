// Text as a quoted literal. `quotedLiteral` is how every message and display
// shows a piece of text: a literal of the Retort language, which reads back as
// the same string. Quotes, backslashes and controls are escaped, and so are
// characters that look like a space or like nothing (BELLE's "closed\u{a0}qa"
// must not show as "closed qa"); everything else, apostrophes and CJK
// included, is itself. `jsonQuoted` is the JSON string literal files carry.

extension String {
  /// This text as a double-quoted literal (see the file comment).
  public var quotedLiteral: String {
    quoted { u in
      // Controls, no-break spaces, zero-width and direction marks, line separators, BOM.
      let v = u.value
      let hidden = v < 0x20 || v == 0x7F || (0x80...0xA0).contains(v) || v == 0xAD || (0x200B...0x200F).contains(v)
        || (0x2028...0x202F).contains(v) || (0x2060...0x2064).contains(v) || v == 0xFEFF
      return hidden ? "\\u{\(String(v, radix: 16))}" : nil
    }
  }

  /// This text as a JSON string literal: quotes, backslashes and controls (and DEL) escaped.
  public var jsonQuoted: String {
    quoted { u in
      guard u.value < 0x20 || u.value == 0x7F else { return nil }
      let hex = String(u.value, radix: 16)
      return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
  }

  /// Double-quoted, with quotes, backslashes, newlines, tabs and returns escaped, and any
  /// other character `escape` gives an escape for.
  private func quoted(_ escape: (Unicode.Scalar) -> String?) -> String {
    var out = "\""
    for u in unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if let e = escape(u) { out += e } else { out.unicodeScalars.append(u) }
      }
    }
    return out + "\""
  }
}

extension String {
  /// The first `limit` characters, with "…" when more were cut: for text quoted in messages.
  public func excerpt(_ limit: Int) -> String {
    count > limit ? String(prefix(limit)) + "…" : self
  }
}
