// Conversions between record values (JSON) and language values.

import RetortData
import RetortLang

extension JSONValue {
  /// The language value: null -> nil, arrays -> lists, objects -> maps (ordered).
  var value: Value {
    switch self {
    case .null: return .none
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .double(let d): return .float(d)
    case .string(let s): return .string(s)
    case .array(let items): return .list(items.map(\.value))
    case .object(let o): return .map(o.map { ($0.0, $0.1.value) })
    }
  }

  /// A JSON value from a language value; `what` names it in errors. Values
  /// nested deeper than a JSON file may be (a list that contains itself) are
  /// refused, as `dataset.load` refuses such files.
  init(_ v: Value, what: String, depth: Int = 0) throws {
    if depth > JSONValue.maxDepth {
      throw ScriptError("\(what): the value is nested more than \(JSONValue.maxDepth) levels deep (does a list or map contain itself?)")
    }
    switch v {
    case .none: self = .null
    case .bool(let b): self = .bool(b)
    case .int(let i): self = .int(i)
    case .float(let d): self = .double(d)
    case .string(let s): self = .string(s)
    case .list(let l): self = .array(try l.items.map { try JSONValue($0, what: what, depth: depth + 1) })
    case .range(let r):
      if r.count > ListBox.maxBuilt { throw ScriptError("\(what): a range of \(r.count) elements is too large to store") }
      self = .array((0..<r.count).map { .int(r.element($0)) })
    case .map(let m): self = .object(try JSONObject(m, what: what, depth: depth + 1))
    case .object(let o as RecordValue): self = .object(o.record.fields)
    default: throw ScriptError("\(what): a \(v.typeName) cannot be stored in a record (use strings, numbers, lists, maps)")
    }
  }
}

extension JSONObject {
  /// An object from a language map; non-string keys become their text.
  init(_ m: MapBox, what: String, depth: Int = 0) throws {
    var pairs: [(String, JSONValue)] = []
    for (k, v) in m.pairs {
      let key: String
      if case .string(let s) = k { key = s } else { key = Display.str(k.value) }
      pairs.append((key, try JSONValue(v, what: what, depth: depth)))
    }
    self.init(pairs)
  }
}

/// Converts what a user function returned for `map` into a record's fields.
func recordFields(_ v: Value, what: String) throws -> JSONObject {
  switch v {
  case .map(let m): return try JSONObject(m, what: what)
  case .object(let o as RecordValue): return o.record.fields
  default: throw ScriptError("\(what): the function must return a map or a record, got \(v.typeName)")
  }
}
