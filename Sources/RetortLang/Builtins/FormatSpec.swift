// A parsed format spec of Python's mini-language, and the padding and digit
// grouping it asks for:
//   [[fill]align][sign][#][0][width][grouping][.precision][type]
// Widths count code points, as Python's do (not terminal columns).

/// One format spec, such as `>8`, `,d`, `010,.2f` or `.1%`.
struct FormatSpec {
  var fill: Unicode.Scalar? = nil
  var align: Unicode.Scalar? = nil
  var sign: Unicode.Scalar = "-"
  /// `#`: the 0x / 0o / 0b prefix of an int in hex, octal or binary.
  var alternate = false
  /// The `0` before the width: zero fill (and `=` alignment for numbers).
  var zero = false
  var width = 0
  /// `,` or `_`.
  var grouping: Unicode.Scalar? = nil
  var precision: Int? = nil
  var type: Character? = nil

  init(_ spec: String) throws {
    var s = Array(spec.unicodeScalars)[...]
    if s.count >= 2, "<>^=".unicodeScalars.contains(s[s.startIndex + 1]) {
      fill = s.removeFirst()
      align = s.removeFirst()
    } else if let c = s.first, "<>^=".unicodeScalars.contains(c) {
      align = s.removeFirst()
    }
    if let c = s.first, "+- ".unicodeScalars.contains(c) { sign = s.removeFirst() }
    if s.first == "#" { alternate = true; s.removeFirst() }
    // As CPython: after an explicit fill, a 0 is just the width's first digit.
    if s.first == "0", fill == nil { zero = true; s.removeFirst() }
    func digit(_ c: Unicode.Scalar?) -> Int? { c.flatMap { $0.value >= 48 && $0.value <= 57 ? Int($0.value - 48) : nil } }
    while let d = digit(s.first) { width = min(width * 10 + d, 1_000_000); s.removeFirst() }
    if let c = s.first, c == "," || c == "_" { grouping = s.removeFirst() }
    if s.first == "." {
      s.removeFirst()
      var p = 0
      var any = false
      while let d = digit(s.first) { p = min(p * 10 + d, 1_000_000); s.removeFirst(); any = true }
      guard any else { throw ScriptError("format spec '\(spec)': expected digits after '.'") }
      guard p <= 50 else { throw ScriptError("format spec '\(spec)': precision is at most 50 digits") }
      precision = p
    }
    type = s.popFirst().map(Character.init)
    if !s.isEmpty { throw ScriptError("invalid format spec '\(spec)'") }
    if width > 1000 { throw ScriptError("format spec '\(spec)': width is at most 1000") }
  }

  /// Lays out a formatted number: its sign, its integer digits (grouped
  /// here), and the rest (fraction, exponent, `%`, or `inf`/`nan`).
  func pad(negative: Bool, digits: String, rest: String, prefix: String = "") -> String {
    // A 0x prefix goes with the sign, before any zero padding (0x000000ff), as in Python.
    let signText = (negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))) + prefix
    let fill = self.fill ?? (zero ? "0" : " ")
    let align = self.align ?? (zero ? "=" : ">")
    var grouped = digits
    if let sep = grouping, !digits.isEmpty {
      // Zero padding is grouped too, as Python does: 000,012.50.
      let minWidth = fill == "0" && align == "=" ? width - signText.unicodeScalars.count - rest.unicodeScalars.count : 0
      grouped = Self.group(digits, separator: Character(sep), every: type.map { "xXob".contains($0) } == true ? 4 : 3, minWidth: minWidth)
    }
    return pad(signText, grouped + rest, align: align, fill: fill)
  }

  /// Lays out text: a string (left-aligned unless said otherwise), or
  /// another value shown as text (right-aligned, as a number would be).
  func pad(text: String, isString: Bool) -> String {
    pad("", text, align: align ?? (isString ? "<" : ">"), fill: fill ?? (zero ? "0" : " "))
  }

  func pad(_ signText: String, _ body: String, align: Unicode.Scalar, fill: Unicode.Scalar) -> String {
    let count = signText.unicodeScalars.count + body.unicodeScalars.count
    guard width > count else { return signText + body }
    let n = width - count
    func fills(_ k: Int) -> String { String(repeating: String(fill), count: k) }
    switch align {
    case "<": return signText + body + fills(n)
    case "^": return fills(n / 2) + signText + body + fills(n - n / 2)
    case "=": return signText + fills(n) + body
    default: return fills(n) + signText + body
    }
  }

  /// `digits` with `separator` between groups of `every` from the right;
  /// padded with zeros (grouped as well) to at least `minWidth` characters,
  /// never starting with a separator. This is CPython's
  /// `_PyUnicode_InsertThousandsGrouping`.
  static func group(_ digits: String, separator: Character, every: Int, minWidth: Int = 0) -> String {
    var remaining = Substring(digits)
    var minWidth = minWidth
    var groups: [String] = []
    while true {
      let l = min(every, max(remaining.count, minWidth, 1))
      let taken = min(remaining.count, l)
      groups.append(String(repeating: "0", count: l - taken) + remaining.suffix(taken))
      remaining = remaining.dropLast(taken)
      minWidth -= l
      if remaining.isEmpty && minWidth <= 0 { break }
      minWidth -= 1
    }
    return groups.reversed().joined(separator: String(separator))
  }
}
