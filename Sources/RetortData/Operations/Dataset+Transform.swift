// Record-level operations: each returns a new dataset.

extension Dataset {
  /// Records whose `field` equals `value` (`where(category="math")`).
  /// Categories compare normalised (`closed\u{00A0}QA` matches `closed qa`);
  /// other fields compare as text.
  public func `where`(_ field: String, equals value: JSONValue) throws -> Dataset {
    try requireField(field, operation: "where")
    if field == "category" || (records.first?.aliases["category"] == field) {
      let key = CategoryLabel.normalize(value.text)
      return with(records.filter { $0.categoryKey == key })
    }
    return with(records.filter { r in
      guard let v = r[field] else { return false }
      if v == value { return true }
      // Numbers compare as numbers (1 == 1.0), as the language's == does.
      if let a = v.numberValue, let b = value.numberValue { return a == b }
      if case .string = value { return v.text == value.text }
      return false
    })
  }

  /// Records for which `predicate` is true (`where(fn)`; same as `filter`).
  public func `where`(_ predicate: (Record) throws -> Bool) rethrows -> Dataset {
    try filter(predicate)
  }

  /// Records for which `predicate` is true (`where(fn)` / `filter(fn)`).
  public func filter(_ predicate: (Record) throws -> Bool) rethrows -> Dataset {
    with(try records.filter(predicate))
  }

  /// Each record replaced by the object `transform` returns. Canonical-name
  /// aliases carry over while their source field still exists.
  public func map(_ transform: (Record) throws -> JSONObject) rethrows -> Dataset {
    with(try records.map { r in
      let o = try transform(r)
      return Record(o, aliases: r.aliases.filter { o[$0.value] != nil })
    })
  }

  /// The first `n` records (all if fewer).
  public func take(_ n: Int) -> Dataset { with(Array(records.prefix(max(0, n)))) }

  /// All but the first `n` records.
  public func skip(_ n: Int) -> Dataset { with(Array(records.dropFirst(max(0, n)))) }

  /// This dataset's records followed by `other`'s.
  public func concat(_ other: Dataset) -> Dataset {
    var d = with(records + other.records)
    if schema != other.schema { d.schema = nil }
    return d
  }

  /// Renames fields (`rename(old=new)`), keeping their position; a
  /// canonical alias that pointed at an old name follows it.
  ///
  /// - Throws: `unknownField` when no record has an old name.
  public func rename(_ mapping: [String: String]) throws -> Dataset {
    for old in mapping.keys.sorted() where !records.isEmpty && !records.contains(where: { $0.fields[old] != nil }) {
      throw DataError.unknownField(operation: "rename", field: old, available: fields)
    }
    // Two fields onto one name, or onto a field that stays, would lose one of them without a word.
    var targets: [String: String] = [:]
    for (old, new) in mapping.sorted(by: { $0.key < $1.key }) where old != new {
      if let other = targets[new] {
        throw DataError.invalidArgument(operation: "rename", message: "'\(other)' and '\(old)' would both become '\(new)'")
      }
      targets[new] = old
      if mapping[new] == nil, records.contains(where: { $0.fields[new] != nil }) {
        throw DataError.invalidArgument(
          operation: "rename", message: "'\(old)' cannot become '\(new)': that field exists and would be lost; rename it too (\(new)=\"...\")")
      }
    }
    // All at once, so a swap (a="b", b="a") swaps.
    return with(records.map { r in
      var out = r
      out.fields = JSONObject(r.fields.map { (mapping[$0.0] ?? $0.0, $0.1) })
      for (c, f) in r.aliases { if let new = mapping[f] { out.aliases[c] = new } }
      for new in mapping.values where out.aliases[new] != nil { out.aliases[new] = nil }
      return out
    })
  }

  /// Only `names`, in that order. A canonical name resolved through an
  /// alias is written under the canonical name, and instruction, input and
  /// output are written as "" where a record lacks them (so selecting
  /// instruction/input/output of BELLE's eval set gives Alpaca records).
  ///
  /// - Throws: `unknownField` for another name that no record has.
  public func select(_ names: [String]) throws -> Dataset {
    let textual: Set<String> = ["instruction", "input", "output"]
    for n in names where !Record.canonicalNames.contains(n) { try requireField(n, operation: "select") }
    return with(records.map { r in
      var o = JSONObject()
      for n in names {
        if let v = r[n] { o[n] = v } else if textual.contains(n) { o[n] = "" }
      }
      return Record(o)
    })
  }

  /// Records in order of `field` (stable; numbers numerically, text by
  /// Unicode scalars; records without the field last).
  public func sort(by field: String, descending: Bool = false) throws -> Dataset {
    try requireField(field, operation: "sort_by")
    return sort(descending: descending) { $0[field] ?? .null }
  }

  /// Records in order of the key `key` returns (stable).
  public func sort(descending: Bool = false, key: (Record) throws -> JSONValue) rethrows -> Dataset {
    let keys = try records.map(key)
    let order = records.indices.sorted { a, b in
      // Missing values (null) go last in either direction, as pandas' na_position="last".
      let na = keys[a] == .null, nb = keys[b] == .null
      if na != nb { return nb }
      let c = JSONValue.compare(keys[a], keys[b])
      if c != 0 { return descending ? c > 0 : c < 0 }
      return a < b
    }
    return with(order.map { records[$0] })
  }

  /// The first record of each distinct value of `names` (all fields when
  /// empty); category compares normalised.
  public func unique(by names: [String] = []) throws -> Dataset {
    for n in names { try requireField(n, operation: "unique") }
    var seen = Set<[JSONValue]>()
    var out: [Record] = []
    for r in records {
      let key = names.isEmpty ? [JSONValue.object(r.fields).canonical]
        : names.map { n in n == "category" ? (r.categoryKey.map(JSONValue.string) ?? .null) : (r[n] ?? .null).canonical }
      if seen.insert(key).inserted { out.append(r) }
    }
    return with(out)
  }

  /// A group of records sharing a value.
  public struct Group: Sendable {
    /// The value as text; for category, the normalised label.
    public var key: String
    /// The value as first written.
    public var label: String
    /// The records.
    public var dataset: Dataset
  }

  /// Records grouped by `field`, groups in first-appearance order. Category
  /// groups by its normalised label; records without the field form the
  /// group with key "".
  public func group(by field: String) throws -> [Group] {
    try requireField(field, operation: "group_by")
    let isCategory = field == "category"
    var index: [String: Int] = [:]
    var groups: [Group] = []
    var members: [[Record]] = []
    for r in records {
      let label = r[field]?.text ?? ""
      let key = isCategory ? CategoryLabel.normalize(label) : label
      if let i = index[key] {
        members[i].append(r)
      } else {
        index[key] = groups.count
        groups.append(Group(key: key, label: label, dataset: Dataset([])))
        members.append([r])
      }
    }
    for i in groups.indices { groups[i].dataset = with(members[i]) }
    return groups
  }
}

extension JSONValue {
  /// Total order for sorting: null < booleans < numbers < strings < arrays < objects.
  static func compare(_ a: JSONValue, _ b: JSONValue) -> Int {
    func rank(_ v: JSONValue) -> Int {
      switch v {
      case .null: return 5
      case .bool: return 0
      case .int, .double: return 1
      case .string: return 2
      case .array: return 3
      case .object: return 4
      }
    }
    switch (a, b) {
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    // Booleans order as 0 and 1 among numbers, as in the language's `sorted` (and Python's).
    case (.int, .double), (.double, .int), (.double, .double), (.bool, .int), (.bool, .double), (.int, .bool), (.double, .bool):
      func value(_ v: JSONValue) -> Double { if case .bool(let t) = v { return t ? 1 : 0 } else { return v.number ?? 0 } }
      let x = value(a), y = value(b)
      return x == y ? 0 : (x < y ? -1 : 1)
    case (.string(let x), .string(let y)):
      return x == y ? 0 : (x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1)
    default:
      let ra = rank(a), rb = rank(b)
      if ra != rb { return ra < rb ? -1 : 1 }
      let x = a.description, y = b.description
      return x == y ? 0 : (x < y ? -1 : 1)
    }
  }

  /// The value as `==` in the language sees it, for hashing: object keys
  /// sorted (`{"a": 1, "b": 2}` is `{"b": 2, "a": 1}`) and a whole double
  /// that an Int holds exactly as that Int (`1.0` is `1`).
  public var canonical: JSONValue {
    switch self {
    case .double(let d):
      if d.rounded() == d, let i = Int(exactly: d) { return .int(i) }
      return self
    case .array(let a): return .array(a.map(\.canonical))
    case .object(let o):
      let order = o.keys.indices.sorted { o.keys[$0].unicodeScalars.lexicographicallyPrecedes(o.keys[$1].unicodeScalars) }
      return .object(JSONObject(uncheckedKeys: order.map { o.keys[$0] }, values: order.map { o.values[$0].canonical }))
    default: return self
    }
  }

  /// The numeric payload as Double, or nil.
  public var number: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }
}

extension Dataset {
  /// Each category label rewritten as its comparison key (`CategoryLabel`):
  /// BELLE's `"Open\u{00A0}QA"` and `"open qa"` both become `"open qa"`, so
  /// plain `==` in a function agrees with `where(category=)` and the reports.
  /// The field keeps its name (BELLE's `class`).
  public func tidyCategories() -> Dataset {
    with(records.map { r in
      guard let key = r.categoryKey else { return r }
      var out = r
      out.fields[r.fieldName(for: "category")] = .string(key)
      return out
    })
  }
}
