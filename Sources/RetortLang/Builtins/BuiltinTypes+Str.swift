// Methods of strings: the ones a Python user reaches for. Registered as
// TypeInfo so `help("".split)` and completion see them.

import Foundation

extension BuiltinTypes {
  static func s(_ v: Any) -> String {
    if case .string(let x)? = v as? Value { return x }
    return ""
  }

  public static let str = TypeInfo("str", doc: "Text (Unicode). Immutable; methods return new strings.") { t in
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
      guard let sep = try a.optionalString("sep") else {
        var parts = s(v).split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if max >= 0 && parts.count - 1 > max {
          let head = Array(parts.prefix(max))
          let restStart = s(v).ranges(ofWhitespaceSeparatedWords: max)
          parts = head + [restStart]
        }
        return .list(ListBox(parts.map { .string($0) }))
      }
      if sep.isEmpty { throw ScriptError("split(): empty separator") }
      var parts = s(v).components(separatedBy: sep)
      if max >= 0 && parts.count - 1 > max {
        parts = Array(parts.prefix(max)) + [parts.dropFirst(max).joined(separator: sep)]
      }
      return .list(ListBox(parts.map { .string($0) }))
    }
    t.method("splitlines", [], "Split into lines.") { (v: Value, a: inout Args) in
      .list(ListBox(s(v).split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).map { .string(String($0)) }))
    }
    t.method("lower", [], "Lower-cased copy.") { (v: Value, a: inout Args) in .string(s(v).lowercased()) }
    t.method("upper", [], "Upper-cased copy.") { (v: Value, a: inout Args) in .string(s(v).uppercased()) }
    t.method("title", [], "Title-cased copy.") { (v: Value, a: inout Args) in .string(s(v).capitalized) }
    t.method("startswith", [.required("prefix")], "Whether the string starts with prefix (or any of a list).") {
      (v: Value, a: inout Args) in .bool(try a.strings("prefix").contains { s(v).hasPrefix($0) })
    }
    t.method("endswith", [.required("suffix")], "Whether the string ends with suffix (or any of a list).") {
      (v: Value, a: inout Args) in .bool(try a.strings("suffix").contains { s(v).hasSuffix($0) })
    }
    t.method("replace", [.required("old"), .required("new"), .optional("count", "-1")], "Replace occurrences of old with new.") {
      (v: Value, a: inout Args) in
      let old = try a.string("old"), new = try a.string("new"), count = try a.int("count", default: -1)
      if old.isEmpty { throw ScriptError("replace(): empty 'old' string") }
      if count < 0 { return .string(s(v).replacingOccurrences(of: old, with: new)) }
      var out = s(v)
      var n = 0
      var from = out.startIndex
      while n < count, let r = out.range(of: old, range: from..<out.endIndex) {
        out.replaceSubrange(r, with: new)
        from = out.index(r.lowerBound, offsetBy: new.count)
        n += 1
      }
      return .string(out)
    }
    t.method("join", [.required("items")], "Join strings with this string between them.") { (v: Value, a: inout Args) in
      let parts = try a.list("items").map { x -> String in
        guard case .string(let p) = x else { throw ScriptError("join(): expected strings, found \(x.typeName)") }
        return p
      }
      return .string(parts.joined(separator: s(v)))
    }
    t.method("find", [.required("sub")], "Index of the first occurrence of sub, or -1.") { (v: Value, a: inout Args) in
      let str = s(v), sub = try a.string("sub")
      if sub.isEmpty { return .int(0) }  // as Python: the empty string is found at the start
      guard let r = str.range(of: sub) else { return .int(-1) }
      return .int(str.distance(from: str.startIndex, to: r.lowerBound))
    }
    t.method("count", [.required("sub")], "Number of non-overlapping occurrences of sub.") { (v: Value, a: inout Args) in
      let sub = try a.string("sub")
      if sub.isEmpty { return .int(s(v).count + 1) }
      return .int(s(v).components(separatedBy: sub).count - 1)
    }
    t.method("isdigit", [], "Whether all characters are digits (and there is at least one).") { (v: Value, a: inout Args) in
      .bool(!s(v).isEmpty && s(v).allSatisfy { $0.isNumber })
    }
    t.method("isspace", [], "Whether all characters are whitespace (and there is at least one).") { (v: Value, a: inout Args) in
      .bool(!s(v).isEmpty && s(v).allSatisfy { $0.isWhitespace })
    }
    t.method("format", [.variadic("args")], "Fill {} placeholders with the arguments in order.") { (v: Value, a: inout Args) in
      var out = ""
      var rest = a.rest[...]
      var chars = Array(s(v))[...]
      while let c = chars.popFirst() {
        if c == "{", chars.first == "}" {
          chars.removeFirst()
          guard let x = rest.popFirst() else { throw ScriptError("format(): not enough arguments") }
          out += Display.str(x)
        } else {
          out.append(c)
        }
      }
      return .string(out)
    }
  }

  enum Side { case both, leading, trailing }

  static func trim(_ s: String, _ chars: String?, _ side: Side) -> String {
    let set: (Character) -> Bool = chars.map { cs in { cs.contains($0) } } ?? { $0.isWhitespace }
    var sub = Substring(s)
    if side != .trailing { while let c = sub.first, set(c) { sub.removeFirst() } }
    if side != .leading { while let c = sub.last, set(c) { sub.removeLast() } }
    return String(sub)
  }
}

extension String {
  /// The text after the first `n` whitespace-separated words.
  func ranges(ofWhitespaceSeparatedWords n: Int) -> String {
    var sub = Substring(self)
    for _ in 0..<n {
      while let c = sub.first, c.isWhitespace { sub.removeFirst() }
      while let c = sub.first, !c.isWhitespace { sub.removeFirst() }
    }
    while let c = sub.first, c.isWhitespace { sub.removeFirst() }
    return String(sub)
  }
}
