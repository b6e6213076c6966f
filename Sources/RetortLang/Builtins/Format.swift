// Format specifications for f-strings, `%` and str.format, following
// Python's mini-language (parsed in FormatSpec.swift) with the types
// s d n f F e E g G % x X o b, and no type: an int as is, a float as str()
// shows it or, given a precision, in Python's general format.

import Foundation

enum Format {
  /// Formats `v` by a spec such as `.3f`, `>8`, `,d`, `.1%`.
  static func apply(_ spec: String, to v: Value, _ interp: Interpreter) throws -> String {
    if spec.isEmpty { return Display.str(v) }
    let f = try FormatSpec(spec)
    let type = f.type
    if let t = type, !"sdnfFeEgG%xXob".contains(t) {
      throw ScriptError("unknown format type '\(t)' in '\(spec)'")
    }
    if f.alternate, !(type.map { "xXob".contains($0) } ?? false) {
      throw ScriptError("format spec '\(spec)': '#' (the 0x, 0o or 0b prefix) goes with the types x, X, o and b")
    }
    if f.grouping == ",", let t = type, "xXob".contains(t) {
      throw ScriptError("format spec '\(spec)': ',' grouping is for decimal numbers; use '_' with '\(t)'")
    }
    switch v {
    case .int(let i) where type == nil || type == "d" || type == "n" || "xXob".contains(type ?? " "):
      if f.precision != nil { throw ScriptError("format spec '\(spec)': an int takes no precision (say .\(f.precision ?? 0)f for a float)") }
      let radix = type == "x" || type == "X" ? 16 : (type == "o" ? 8 : (type == "b" ? 2 : 10))
      let prefix = f.alternate ? "0" + String(type ?? "x") : ""
      return f.pad(negative: i < 0, digits: String(i.magnitude, radix: radix, uppercase: type == "X"), rest: "", prefix: prefix)
    case .bool(let b) where type == "d":
      return f.pad(negative: false, digits: b ? "1" : "0", rest: "")
    case .float(let d) where type == nil:
      return number(d, f)
    case .object(let o) where type == nil && f.precision != nil:
      // A one-element tensor with a precision is its number, as in PyTorch.
      guard let d = o.scalar else { break }
      return number(d, f)
    default:
      break
    }
    if type == nil || type == "s" {
      if f.grouping != nil { throw ScriptError("format spec '\(spec)': grouping needs a number, got \(v.typeName)") }
      if f.sign != "-", case .string = v { throw ScriptError("format spec '\(spec)': a sign needs a number, got a str") }
      var text = Display.str(v)
      if let p = f.precision { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(p))) }
      if case .string = v { return f.pad(text: text, isString: true) }
      return f.pad(text: text, isString: false)
    }
    if let t = type, "dnxXob".contains(t) {
      throw ScriptError("format spec '\(spec)' needs an int, got \(v.typeName)")
    }
    guard let d = v.number else { throw ScriptError("format spec '\(spec)' needs a number, got \(v.typeName)") }
    return number(d, f)
  }

  /// A float by a spec whose type is a float type or none.
  static func number(_ d: Double, _ f: FormatSpec) -> String {
    let x = abs(d)
    var body: String
    switch f.type {
    case nil: body = f.precision.map { general(x, precision: $0, addDotZero: true) } ?? Display.formatFloat(x)
    case "e", "E": body = x.isFinite ? String(format: "%.\(f.precision ?? 6)e", x) : Display.formatFloat(x)
    case "g", "G": body = general(x, precision: f.precision ?? 6, addDotZero: false)
    case "%": body = fixed(x * 100, f.precision ?? 6) + "%"
    default: body = fixed(x, f.precision ?? 6)
    }
    if let t = f.type, t.isUppercase { body = body.uppercased() }
    let digits = body.prefix { $0.isASCII && $0.isNumber }
    return f.pad(negative: d.sign == .minus && !d.isNaN, digits: String(digits), rest: String(body.dropFirst(digits.count)))
  }

  /// `%.Nf` of a non-negative number (correctly rounded: half to even on the exact binary value).
  static func fixed(_ d: Double, _ precision: Int) -> String {
    d.isFinite ? String(format: "%.\(precision)f", d) : Display.formatFloat(d)
  }

  /// Python's general format of a non-negative number: `precision`
  /// significant digits, in fixed notation unless the exponent is below -4
  /// or reaches the precision, trailing zeros dropped ('g'). With
  /// `addDotZero` (a spec with a precision and no type), fixed notation keeps
  /// one digit after the point and so turns to scientific one exponent sooner:
  /// f"{12.0:.3}" is 12.0, f"{123.0:.3}" is 1.23e+02.
  static func general(_ d: Double, precision: Int, addDotZero: Bool) -> String {
    guard d.isFinite else { return Display.formatFloat(d) }
    let p = max(precision, 1)
    let scientific = String(format: "%.\(p - 1)e", d)
    guard let e = scientific.firstIndex(of: "e"), let exponent = Int(scientific[scientific.index(after: e)...]) else {
      return scientific
    }
    func trimmed(_ s: Substring) -> String {
      guard s.contains(".") else { return String(s) }
      let t = s.reversed().drop { $0 == "0" }.drop { $0 == "." }
      return String(t.reversed())
    }
    if exponent < -4 || exponent >= (addDotZero ? p - 1 : p) {
      return trimmed(scientific[..<e]) + scientific[e...]
    }
    let text = trimmed(Substring(String(format: "%.\(p - 1 - exponent)f", d)))
    return addDotZero && !text.contains(".") ? text + ".0" : text
  }
}
