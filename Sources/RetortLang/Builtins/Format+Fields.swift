// str.format, as Python's: "{}" takes the next argument, "{0}" a numbered
// one, "{name}" a keyword; each may add a conversion (!r, !s) and a spec
// (":>8,.2f", with the f-string machinery), and a spec may hold fields of
// its own ("{:{width}}"). "{{" and "}}" are braces. A field it cannot read
// is an error naming it, never left in the text.

extension Format {
  /// A field's value after its conversion: `!r` its repr, `!s` its str, none itself
  /// (str.format and f-strings).
  static func converted(_ v: Value, _ conversion: Character?) -> Value {
    switch conversion {
    case "r": return .string(Display.repr(v, whole: true))
    case "s": return .string(Display.str(v))
    default: return v
    }
  }

  /// `template.format(*args, **keywords)`.
  static func fields(_ template: String, _ args: [Value], _ keywords: [(String, Value)], _ interp: Interpreter) throws -> String {
    var f = FieldFormatter(args: args, keywords: keywords, interp: interp)
    return try f.expand(Array(template.unicodeScalars)[...], nested: false)
  }
}

struct FieldFormatter {
  let args: [Value]
  let keywords: [(String, Value)]
  let interp: Interpreter
  /// The next argument `{}` takes; nil once a numbered field was used.
  var next: Int? = 0
  var numbered = false

  init(args: [Value], keywords: [(String, Value)], interp: Interpreter) {
    self.args = args
    self.keywords = keywords
    self.interp = interp
  }

  mutating func expand(_ text: ArraySlice<Unicode.Scalar>, nested: Bool) throws -> String {
    var out = String.UnicodeScalarView()
    var s = text
    while let c = s.popFirst() {
      if c == "}" {
        guard s.popFirst() == "}" else { throw ScriptError("format(): a single '}' is not a field; write '}}' for a brace") }
        out.append("}")
        continue
      }
      guard c == "{" else { out.append(c); continue }
      if s.first == "{" { s.removeFirst(); out.append("{"); continue }
      // The field runs to its matching brace (a spec may nest one level of fields).
      var depth = 1
      var field = String.UnicodeScalarView()
      while let d = s.popFirst() {
        if d == "{" { depth += 1 } else if d == "}" { depth -= 1; if depth == 0 { break } }
        field.append(d)
      }
      guard depth == 0 else { throw ScriptError("format(): the field '{\(String(field))' is not closed; write '{{' for a brace") }
      if nested && String(field).contains("{") {
        throw ScriptError("format(): the field '{\(String(field))}' nests too deeply (a spec may hold fields, not theirs)")
      }
      out.append(contentsOf: try replacement(String(field)).unicodeScalars)
    }
    return String(out)
  }

  /// The text for the field `{field}`: `name[!conversion][:spec]`.
  mutating func replacement(_ field: String) throws -> String {
    let shown = "{\(field)}"
    let nameEnd = field.firstIndex { $0 == "!" || $0 == ":" } ?? field.endIndex
    let name = String(field[..<nameEnd])
    var rest = field[nameEnd...]
    var conversion: Character? = nil
    if rest.first == "!" {
      rest.removeFirst()
      conversion = rest.popFirst()
      guard conversion == "r" || conversion == "s", rest.isEmpty || rest.first == ":" else {
        throw ScriptError("format(): field '\(shown)': a conversion is !r or !s")
      }
    }
    let value = try argument(name, shown)
    let spec = rest.isEmpty ? "" : try expand(Array(rest.dropFirst().unicodeScalars)[...], nested: true)
    do { return try Format.apply(spec, to: Format.converted(value, conversion), interp) } catch let e as ScriptError {
      throw ScriptError("format(): field '\(shown)': \(e.description)")
    }
  }

  /// The argument a field names: "" (the next), a number, or a keyword.
  mutating func argument(_ name: String, _ shown: String) throws -> Value {
    if name.isEmpty {
      guard let i = next else { throw ScriptError("format(): field '\(shown)' cannot follow numbered fields; number them all or none") }
      next = i + 1
      guard i < args.count else { throw ScriptError("format(): field '\(shown)' has no argument (\(args.count) given)") }
      return args[i]
    }
    if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
      guard next == 0 || numbered else { throw ScriptError("format(): field '\(shown)' cannot follow {} fields; number them all or none") }
      numbered = true
      next = nil
      guard let i = Int(name), i < args.count else {
        throw ScriptError("format(): field '\(shown)' has no argument (\(args.count) given)")
      }
      return args[i]
    }
    guard name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
      throw ScriptError("format(): cannot read field '\(shown)': fields are {}, {0} or {name}, with an optional !r and :spec")
    }
    guard let v = keywords.last(where: { $0.0 == name })?.1 else {
      throw ScriptError("format(): field '\(shown)' names no argument; pass \(name)=...")
    }
    return v
  }
}
