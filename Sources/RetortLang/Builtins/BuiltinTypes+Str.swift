// Methods of strings: the ones a Python user reaches for. Registered as
// TypeInfo so `help("".split)` and completion see them.

import Foundation

extension BuiltinTypes {
  static func s(_ v: Any) -> String {
    if case .string(let x)? = v as? Value { return x }
    return ""
  }

  public static let str = TypeInfo("str", doc: "Text: a sequence of Unicode code points, as in Python (len, indexing and every method count them). Immutable; methods return new strings.") { t in
    t.method("strip", [.optional("chars")], "Remove leading and trailing whitespace (or the given characters).") {
      (v: Value, a: inout Args) in .string(trim(s(v), try a.optionalString("chars"), .both))
    }
    t.method("lstrip", [.optional("chars")], "Remove leading whitespace (or the given characters).") {
      (v: Value, a: inout Args) in .string(trim(s(v), try a.optionalString("chars"), .leading))
    }
    t.method("rstrip", [.optional("chars")], "Remove trailing whitespace (or the given characters).") {
      (v: Value, a: inout Args) in .string(trim(s(v), try a.optionalString("chars"), .trailing))
    }
    t.method("split", [.optional("sep"), .optional("maxsplit", "-1")], "Split on sep (default: runs of whitespace).") {
      (v: Value, a: inout Args) in
      let max = try a.int("maxsplit", default: -1)
      let limit = max < 0 ? Int.max : max
      guard let sep = try a.optionalString("sep") else {
        return .list(ListBox(splitOnWhitespace(s(v), limit: limit).map { .string($0) }))
      }
      if sep.isEmpty { throw ScriptError("split(): empty separator") }
      return .list(ListBox(s(v).splitByCodePoints(sep, limit: limit).map { .string($0) }))
    }
    t.method("splitlines", [.optional("keepends", "false")],
             "The lines, split at \\n, \\r\\n, \\r and Python's other line boundaries; no empty last line after a final break.") {
      (v: Value, a: inout Args) in
      .list(ListBox(splitLines(s(v), keepEnds: try a.bool("keepends", default: false)).map { .string($0) }))
    }
    t.method("lower", [], "Lower-cased copy (a capital sigma ending a word becomes ς, as in Python).") {
      (v: Value, a: inout Args) in
      let u = Array(s(v).unicodeScalars)
      guard u.contains("\u{3A3}") else { return .string(s(v).lowercased()) }
      var out = ""
      for (i, c) in u.enumerated() {
        // Python's Final_Sigma: after a cased letter and not before one.
        if c == "\u{3A3}", i > 0, u[i - 1].properties.isCased, i + 1 == u.count || !u[i + 1].properties.isCased {
          out += "\u{3C2}"
        } else {
          out += c.properties.lowercaseMapping
        }
      }
      return .string(out)
    }
    t.method("upper", [], "Upper-cased copy.") { (v: Value, a: inout Args) in .string(s(v).uppercased()) }
    t.method("title", [], "Title-cased copy, as Python's: a letter after a cased letter is lower-cased, any other upper-cased (\"it's\" is \"It'S\").") {
      (v: Value, a: inout Args) in
      var out = "", previousCased = false
      for u in s(v).unicodeScalars {
        if u.properties.isCased {
          out += previousCased ? u.properties.lowercaseMapping : u.properties.titlecaseMapping
          previousCased = true
        } else {
          out.unicodeScalars.append(u)
          previousCased = false
        }
      }
      return .string(out)
    }
    t.method("startswith", [.required("prefix")], "Whether the string starts with prefix (or any of a list).") {
      (v: Value, a: inout Args) in .bool(try a.strings("prefix").contains { s(v).utf8.starts(with: $0.utf8) })
    }
    t.method("endswith", [.required("suffix")], "Whether the string ends with suffix (or any of a list).") {
      (v: Value, a: inout Args) in
      .bool(try a.strings("suffix").contains { s(v).utf8.reversed().starts(with: $0.utf8.reversed()) })
    }
    t.method("replace", [.required("old"), .required("new"), .optional("count", "-1")], "Replace occurrences of old with new (the first count of them).") {
      (v: Value, a: inout Args) in
      let old = try a.string("old"), new = try a.string("new"), count = try a.int("count", default: -1)
      let limit = count < 0 ? Int.max : count
      guard old.isEmpty else { return .string(s(v).replacingCodePoints(old, with: new, limit: limit)) }
      // As Python: the empty string is found before every code point and at the end.
      var out = "", done = 0
      for u in s(v).unicodeScalars {
        if done < limit { out += new; done += 1 }
        out.unicodeScalars.append(u)
      }
      if done < limit { out += new }
      return .string(out)
    }
    t.method("join", [.required("items")], "Join strings with this string between them.") { (v: Value, a: inout Args) in
      let parts = try a.list("items").map { x -> String in
        guard case .string(let p) = x else { throw ScriptError("join(): expected strings, found \(x.typeName)") }
        return p
      }
      return .string(parts.joined(separator: s(v)))
    }
    t.method("find", [.required("sub"), .optional("start"), .optional("end")],
             "Index of the first occurrence of sub (within [start:end], as a slice), or -1.") { (v: Value, a: inout Args) in
      let sub = try a.string("sub")
      let (text, lo, hi) = try window(s(v), &a)
      guard lo <= hi else { return .int(-1) }
      if sub.isEmpty { return .int(lo) }  // as Python: the empty string is found at the start
      return .int(text.codePointOffset(of: sub).map { $0 + lo } ?? -1)
    }
    t.method("count", [.required("sub"), .optional("start"), .optional("end")],
             "Number of non-overlapping occurrences of sub (within [start:end], as a slice).") { (v: Value, a: inout Args) in
      let sub = try a.string("sub")
      let (text, lo, hi) = try window(s(v), &a)
      guard lo <= hi else { return .int(0) }
      if sub.isEmpty { return .int(hi - lo + 1) }
      return .int(text.utf8Matches(of: sub).count)
    }
    t.method("isdigit", [], "Whether all characters are digits (and there is at least one).") { (v: Value, a: inout Args) in
      .bool(!s(v).isEmpty && s(v).unicodeScalars.allSatisfy { [.decimal, .digit].contains($0.properties.numericType) })
    }
    t.method("isspace", [], "Whether all characters are whitespace (and there is at least one).") { (v: Value, a: inout Args) in
      .bool(!s(v).isEmpty && s(v).unicodeScalars.allSatisfy(\.isPythonSpace))
    }
    t.method("format", [.variadic("args"), .keywords("names")],
             "Fill {} fields as Python's str.format: {} the next argument, {0} a numbered one, {name} a keyword; {:>8,.2f} and {0!r} as in f-strings; {{ and }} are braces.") {
      (v: Value, a: inout Args) in .string(try Format.fields(s(v), a.rest, a.keywords, a.interpreter))
    }
  }

  enum Side { case both, leading, trailing }

  /// strip, lstrip, rstrip: code points in `chars`, or Python's whitespace.
  static func trim(_ s: String, _ chars: String?, _ side: Side) -> String {
    let set = chars.map { Set($0.unicodeScalars) }
    let strip: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? $0.isPythonSpace }
    var sub = Substring(s).unicodeScalars
    if side != .trailing { while let c = sub.first, strip(c) { sub.removeFirst() } }
    if side != .leading { while let c = sub.last, strip(c) { sub.removeLast() } }
    return String(Substring(sub))
  }

  /// `splitlines()`: "\r\n" is one break; a break ends a line, so a final
  /// one adds no empty line and "" has none.
  static func splitLines(_ s: String, keepEnds: Bool) -> [String] {
    var lines: [String] = []
    var rest = Substring(s).unicodeScalars
    while !rest.isEmpty {
      guard let brk = rest.firstIndex(where: \.isPythonLineBreak) else { lines.append(String(Substring(rest))); break }
      var next = rest.index(after: brk)
      if rest[brk] == "\r", next != rest.endIndex, rest[next] == "\n" { next = rest.index(after: next) }
      lines.append(String(Substring(rest[..<(keepEnds ? next : brk)])))
      rest = rest[next...]
    }
    return lines
  }

  /// `split()`: the words between runs of whitespace; after `limit` splits
  /// the rest is one last word, leading whitespace dropped (as Python).
  static func splitOnWhitespace(_ s: String, limit: Int) -> [String] {
    var words: [String] = []
    var rest = Substring(s).unicodeScalars
    while true {
      while let c = rest.first, c.isPythonSpace { rest.removeFirst() }
      if rest.isEmpty { return words }
      if words.count == limit { return words + [String(Substring(rest))] }
      let end = rest.firstIndex(where: \.isPythonSpace) ?? rest.endIndex
      words.append(String(Substring(rest[..<end])))
      rest = rest[end...]
    }
  }
}

extension Unicode.Scalar {
  /// A line boundary of Python's `str.splitlines()`: \n, \r, \v, \f,
  /// U+001C...U+001E, U+0085, and the line and paragraph separators.
  var isPythonLineBreak: Bool {
    switch value {
    case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }

  /// Python's `str.isspace()` for one code point: the 29 code points CPython
  /// treats as whitespace (Unicode's White_Space plus U+001C...U+001F).
  var isPythonSpace: Bool {
    switch value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      return true
    default: return false
    }
  }
}

/// The part of `text` that `start` and `end` select, clamped as a slice's bounds are
/// (negative from the end), and its bounds in code points.
private func window(_ text: String, _ a: inout Args) throws -> (String, Int, Int) {
  let n = text.codePointCount
  func clamp(_ i: Int?, _ absent: Int) -> Int {
    guard let i else { return absent }
    return i < 0 ? max(0, i + n) : min(i, n)
  }
  // A start past the end finds nothing, not even the empty string (as Python).
  let start = try a.optionalInt("start")
  let lo = (start ?? 0) > n ? n + 1 : clamp(start, 0), hi = clamp(try a.optionalInt("end"), n)
  if lo == 0 && hi == n { return (text, lo, hi) }
  return (lo < hi ? text.codePoints(lo, hi, nil) : "", lo, hi)
}
