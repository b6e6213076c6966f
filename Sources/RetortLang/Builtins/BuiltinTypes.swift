// Methods of lists and maps (strings: BuiltinTypes+Str.swift): the ones a Python
// user reaches for. Registered as TypeInfo so `help([].append)` and completion see them.

import Foundation

/// The registered builtin types.
public enum BuiltinTypes {
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
}
