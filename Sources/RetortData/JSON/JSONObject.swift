// A JSON object that keeps its keys in insertion order, so records are
// saved with the same key order they were loaded with.

/// An ordered JSON object: keys in insertion (file) order, unique.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  /// Keys in order.
  public private(set) var keys: [String] = []
  /// Values, parallel to `keys`.
  public private(set) var values: [JSONValue] = []

  /// An empty object.
  public init() {}

  /// An object from key/value pairs; a repeated key keeps its first
  /// position and its last value (as Python's `json` does).
  public init(_ pairs: [(String, JSONValue)]) {
    keys.reserveCapacity(pairs.count)
    values.reserveCapacity(pairs.count)
    for (k, v) in pairs { self[k] = v }
  }

  /// An object from a literal, keys in the literal's order.
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

  /// Number of keys.
  public var count: Int { keys.count }
  /// True when there are no keys.
  public var isEmpty: Bool { keys.isEmpty }

  /// Position of `key`, or nil.
  public func index(of key: String) -> Int? {
    keys.firstIndex(of: key)
  }

  /// The value for `key`; setting nil removes the key, setting a new key appends it.
  public subscript(key: String) -> JSONValue? {
    get {
      guard let i = index(of: key) else { return nil }
      return values[i]
    }
    set {
      if let i = index(of: key) {
        if let v = newValue { values[i] = v } else { keys.remove(at: i); values.remove(at: i) }
      } else if let v = newValue {
        keys.append(key)
        values.append(v)
      }
    }
  }

  /// An object from parallel arrays the caller knows to be distinct keys.
  init(uncheckedKeys keys: [String], values: [JSONValue]) {
    self.keys = keys
    self.values = values
  }

  /// Replaces `keys` by an equal array that other objects already hold, so
  /// a million records with the same fields share one key list.
  mutating func shareKeys(_ shared: [String]) {
    if keys == shared { keys = shared }
  }

  /// Appends a pair without checking for duplicates (the parser checks).
  mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
    keys.append(key)
    values.append(value)
  }

  /// Renames `old` to `new` in place, keeping its position; a field already
  /// named `new` is replaced. Returns false if `old` is absent.
  @discardableResult
  public mutating func rename(_ old: String, to new: String) -> Bool {
    guard index(of: old) != nil else { return false }
    if old == new { return true }
    if let j = index(of: new) {
      keys.remove(at: j)
      values.remove(at: j)
    }
    if let k = index(of: old) { keys[k] = new }
    return true
  }

  /// Iterates (key, value) pairs in order.
  public func makeIterator() -> Zip2Sequence<[String], [JSONValue]>.Iterator {
    zip(keys, values).makeIterator()
  }
}
