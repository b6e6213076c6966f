// Methods of strings, lists and maps: the ones a Python user reaches for.
// Registered as TypeInfo so `help("".split)` and completion see them.

import Foundation

/// The registered builtin types.
public enum BuiltinTypes {
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

  public static let list = TypeInfo("list", doc: "A mutable sequence of values.") { t in
    t.method("append", [.required("value")], "Add a value at the end.") { (l: ListBox, a: inout Args) in
      if let v = a.value("value") { l.items.append(v) } else { l.items.append(.none) }
      return .none
    }
    t.method("extend", [.required("values")], "Add every value of a list at the end.") { (l: ListBox, a: inout Args) in
      l.items.append(contentsOf: try a.list("values"))
      return .none
    }
    t.method("insert", [.required("index"), .required("value")], "Insert a value before index.") {
      (l: ListBox, a: inout Args) in
      var i = try a.int("index")
      if i < 0 { i += l.items.count }
      l.items.insert(a.value("value") ?? .none, at: min(max(0, i), l.items.count))
      return .none
    }
    t.method("pop", [.optional("index", "-1")], "Remove and return the value at index (default: the last).") {
      (l: ListBox, a: inout Args) in
      guard !l.items.isEmpty else { throw ScriptError("pop(): the list is empty") }
      let i = try a.interpreter.position(.int(try a.int("index", default: -1)), count: l.items.count, what: "list")
      return l.items.remove(at: i)
    }
    t.method("index", [.required("value")], "Position of the first equal value.") { (l: ListBox, a: inout Args) in
      let v = a.value("value") ?? .none
      for (i, x) in l.items.enumerated() where try a.interpreter.valuesEqual(x, v) { return .int(i) }
      throw ScriptError("index(): \(Display.repr(v)) is not in the list")
    }
    t.method("count", [.required("value")], "Number of equal values.") { (l: ListBox, a: inout Args) in
      let v = a.value("value") ?? .none
      return .int(try l.items.filter { try a.interpreter.valuesEqual($0, v) }.count)
    }
    t.method("remove", [.required("value")], "Remove the first equal value.") { (l: ListBox, a: inout Args) in
      let v = a.value("value") ?? .none
      guard let i = try l.items.firstIndex(where: { try a.interpreter.valuesEqual($0, v) }) else {
        throw ScriptError("remove(): \(Display.repr(v)) is not in the list")
      }
      l.items.remove(at: i)
      return .none
    }
    t.method("reverse", [], "Reverse in place.") { (l: ListBox, a: inout Args) in
      l.items.reverse()
      return .none
    }
    t.method("sort", [.optional("key"), .optional("reverse", "false")], "Sort in place (stable).") {
      (l: ListBox, a: inout Args) in
      l.items = try Builtins.sortValues(l.items, key: a.value("key"), reverse: try a.bool("reverse", default: false), a.interpreter)
      return .none
    }
    t.method("copy", [], "A shallow copy.") { (l: ListBox, a: inout Args) in .list(ListBox(l.items)) }
  }

  public static let map = TypeInfo("map", doc: "An insertion-ordered mapping from keys to values.") { t in
    t.method("keys", [], "The keys, in insertion order.") { (m: MapBox, a: inout Args) in
      .list(ListBox(m.keys.map(\.value)))
    }
    t.method("values", [], "The values, in insertion order.") { (m: MapBox, a: inout Args) in
      .list(ListBox(m.pairs.map(\.1)))
    }
    t.method("items", [], "[key, value] pairs, in insertion order.") { (m: MapBox, a: inout Args) in
      .list(ListBox(m.pairs.map { .list(ListBox([$0.0.value, $0.1])) }))
    }
    t.method("get", [.required("key"), .optional("default")], "The value for key, or default.") {
      (m: MapBox, a: inout Args) in
      guard let k = a.value("key").flatMap(MapKey.init), let v = m[k] else { return a.value("default") ?? .none }
      return v
    }
    t.method("pop", [.required("key"), .optional("default")], "Remove key and return its value (or default).") {
      (m: MapBox, a: inout Args) in
      guard let k = a.value("key").flatMap(MapKey.init), let v = m[k] else {
        if let d = a.value("default") { return d }
        throw ScriptError("pop(): key \(Display.repr(a.value("key") ?? .none)) is not in the map")
      }
      m[k] = nil
      return v
    }
    t.method("update", [.required("other")], "Copy every key of another map into this one.") {
      (m: MapBox, a: inout Args) in
      guard case .map(let o)? = a.value("other") else { throw ScriptError("update(): expects a map") }
      for (k, v) in o.pairs { m[k] = v }
      return .none
    }
    t.method("copy", [], "A shallow copy.") { (m: MapBox, a: inout Args) in .map(m.copy()) }
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
