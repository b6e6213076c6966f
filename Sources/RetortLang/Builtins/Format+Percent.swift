// printf-style formatting, `"%d items, %.2f" % [3, 1.5]`, as Python's:
// %[flags][width][.precision]type with the flags - + space 0, each
// conversion translated to a format spec.

extension Format {
  /// `template % arg`: a list gives one value per conversion.
  static func percent(_ template: String, _ arg: Value, _ interp: Interpreter) throws -> String {
    var args: [Value]
    if case .list(let l) = arg { args = l.items } else { args = [arg] }
    var out = ""
    var chars = Array(template.unicodeScalars)[...]
    while let c = chars.popFirst() {
      guard c == "%" else { out.unicodeScalars.append(c); continue }
      if chars.first == "%" { chars.removeFirst(); out.append("%"); continue }
      var flags = Set<Unicode.Scalar>()
      while let f = chars.first, "-+ 0#".unicodeScalars.contains(f) { flags.insert(f); chars.removeFirst() }
      var size = ""
      while let d = chars.first, d.value >= 48 && d.value <= 57 || d == "." { size.unicodeScalars.append(d); chars.removeFirst() }
      guard let type = chars.popFirst() else { throw ScriptError("incomplete format in '\(template)'") }
      // '#' is the 0x / 0o prefix, for x, X and o only.
      guard "sridufFeEgGxXo".unicodeScalars.contains(type), !flags.contains("#") || "xXo".unicodeScalars.contains(type) else {
        let shown = flags.contains("#") ? "#" : String(type)
        throw ScriptError("unsupported format character '\(shown)' in '\(template)' (use one of s r d i u f F e E g G x X o, flags - + space 0, and # with x X o)")
      }
      guard !args.isEmpty else { throw ScriptError("not enough arguments for format string '\(template)'") }
      let v = args.removeFirst()
      let isText = type == "s" || type == "r"
      // Right-aligned unless '-'; '0' pads numbers with zeros after the sign.
      var spec = flags.contains("-") ? "<" : (flags.contains("0") && !isText ? "0=" : ">")
      if !isText, flags.contains("+") { spec += "+" } else if !isText, flags.contains(" ") { spec += " " }
      if flags.contains("#") { spec += "#" }
      spec += size
      switch type {
      case "s": out += try apply(spec + "s", to: .string(Display.str(v)), interp)
      case "r": out += try apply(spec + "s", to: .string(Display.repr(v, whole: true)), interp)
      case "d", "i", "u": out += try apply(spec + "d", to: try wholePart(v, type, template), interp)
      default: out += try apply(spec + String(type), to: v, interp)
      }
    }
    if !args.isEmpty { throw ScriptError("not all arguments converted during string formatting") }
    return out
  }

  /// `%d` of a number: an int as it is, a float (or a one-element tensor) truncated toward
  /// zero, as Python's `%d` does.
  static func wholePart(_ v: Value, _ type: Unicode.Scalar, _ template: String) throws -> Value {
    if case .int = v { return v }
    if case .bool(let b) = v { return .int(b ? 1 : 0) }
    guard let x = v.number else {
      throw ScriptError("%\(type) in '\(template)' needs a number, got \(v.typeName)")
    }
    guard x.isFinite, let i = Int(exactly: x.rounded(.towardZero)) else {
      throw ScriptError("%\(type) in '\(template)' cannot show \(Display.formatFloat(x)) as an integer")
    }
    return .int(i)
  }
}
