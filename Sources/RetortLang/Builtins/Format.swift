// Format specifications for f-strings and `%`, following Python's
// mini-language: [[fill]align][sign][0][width][,][.precision][type]
// with types s d f e g % x o b.

import Foundation

enum Format {
  /// Formats `v` by a spec such as `.3f`, `>8`, `,d`, `.1%`.
  static func apply(_ spec: String, to v: Value, _ interp: Interpreter) throws -> String {
    if spec.isEmpty { return Display.str(v) }
    var chars = Array(spec)
    var fill: Character = " "
    var align: Character? = nil
    if chars.count >= 2, "<>^=".contains(chars[1]) {
      fill = chars[0]; align = chars[1]; chars.removeFirst(2)
    } else if let c = chars.first, "<>^=".contains(c) {
      align = c; chars.removeFirst()
    }
    var sign: Character = "-"
    if let c = chars.first, "+- ".contains(c) { sign = c; chars.removeFirst() }
    if chars.first == "0" { fill = "0"; if align == nil { align = "=" }; chars.removeFirst() }
    var width = 0
    while let c = chars.first, let d = c.wholeNumberValue { width = min(width * 10 + d, 1_000_000); chars.removeFirst() }
    var grouping = false
    if chars.first == "," || chars.first == "_" { grouping = true; chars.removeFirst() }
    var precision: Int? = nil
    if chars.first == "." {
      chars.removeFirst()
      var p = 0
      var any = false
      while let c = chars.first, let d = c.wholeNumberValue { p = min(p * 10 + d, 1_000_000); chars.removeFirst(); any = true }
      guard any else { throw ScriptError("format spec '\(spec)': expected digits after '.'") }
      guard p <= 50 else { throw ScriptError("format spec '\(spec)': precision is at most 50 digits") }
      precision = p
    }
    let type = chars.first
    if chars.count > 1 { throw ScriptError("invalid format spec '\(spec)'") }
    if width > 1000 { throw ScriptError("format spec '\(spec)': width is at most 1000") }

    var body: String
    var negative = false
    func number() throws -> Double {
      guard let d = v.number else { throw ScriptError("format spec '\(spec)' needs a number, got \(v.typeName)") }
      return d
    }
    switch type {
    case nil, "s":
      if case .int(let i) = v, type == nil {
        negative = i < 0
        body = String(i.magnitude)
        if grouping { body = group(body) }
      } else if case .float(let d) = v, type == nil, precision != nil {
        negative = d < 0
        body = fixed(abs(d), precision ?? 6, grouping)
      } else {
        body = Display.str(v)
        if let p = precision { body = String(body.prefix(p)) }
      }
    case "d":
      guard case .int(let i) = v else {
        if case .bool(let b) = v { body = b ? "1" : "0"; break }
        throw ScriptError("format spec '\(spec)' needs an int, got \(v.typeName)")
      }
      negative = i < 0
      body = String(i.magnitude)
      if grouping { body = group(body) }
    case "f", "F", "%":
      var d = try number()
      if type == "%" { d *= 100 }
      negative = d < 0 || (d == 0 && d.sign == .minus)
      body = fixed(abs(d), precision ?? 6, grouping) + (type == "%" ? "%" : "")
    case "e", "E":
      let d = try number()
      negative = d < 0
      body = String(format: "%.\(precision ?? 6)e", abs(d))
      if type == "E" { body = body.uppercased() }
    case "g", "G":
      let d = try number()
      negative = d < 0
      body = String(format: "%.\(max(1, precision ?? 6))g", abs(d))
    case "x", "X", "o", "b":
      guard case .int(let i) = v else { throw ScriptError("format spec '\(spec)' needs an int, got \(v.typeName)") }
      negative = i < 0
      body = String(i.magnitude, radix: type == "o" ? 8 : (type == "b" ? 2 : 16), uppercase: type == "X")
    default:
      throw ScriptError("unknown format type '\(type.map(String.init) ?? "")' in '\(spec)'")
    }
    let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
    let isNumeric = type != nil && type != "s" || { if case .string = v { return false }; return true }()
    let len = TextWidth.of(signText + body)
    guard width > len else { return signText + body }
    let padCount = width - len
    let padding = String(repeating: fill, count: padCount)
    switch align ?? (isNumeric ? ">" : "<") {
    case "<": return signText + body + padding
    case "^":
      let left = String(repeating: fill, count: padCount / 2)
      let right = String(repeating: fill, count: padCount - padCount / 2)
      return left + signText + body + right
    case "=": return signText + padding + body
    default: return padding + signText + body
    }
  }

  static func fixed(_ d: Double, _ precision: Int, _ grouping: Bool) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return "inf" }
    let s = String(format: "%.\(precision)f", d)
    guard grouping else { return s }
    let parts = s.split(separator: ".", maxSplits: 1)
    let intPart = group(String(parts[0]))
    return parts.count > 1 ? intPart + "." + parts[1] : intPart
  }

  static func group(_ digits: String) -> String {
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }

  /// `"%d items, %.2f" % [3, 1.5]`: printf-style formatting.
  static func percent(_ template: String, _ arg: Value, _ interp: Interpreter) throws -> String {
    var args: [Value]
    if case .list(let l) = arg { args = l.items } else { args = [arg] }
    var out = ""
    var chars = Array(template)[...]
    while let c = chars.popFirst() {
      guard c == "%" else { out.append(c); continue }
      if chars.first == "%" { chars.removeFirst(); out.append("%"); continue }
      var spec = ""
      while let d = chars.first, !"sdfegxor%".contains(d) { spec.append(d); chars.removeFirst() }
      guard let type = chars.popFirst() else { throw ScriptError("incomplete format in '\(template)'") }
      guard !args.isEmpty else { throw ScriptError("not enough arguments for format string '\(template)'") }
      let v = args.removeFirst()
      let t: String = type == "r" ? "" : (type == "s" ? "" : String(type))
      out += type == "r" ? Display.repr(v, whole: true) : try apply(spec + t, to: v, interp)
    }
    if !args.isEmpty { throw ScriptError("not all arguments converted during string formatting") }
    return out
  }
}
