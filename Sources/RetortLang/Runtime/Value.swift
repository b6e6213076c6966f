// Values of the language. Small values are stored inline; lists and maps
// are shared mutable boxes (as in Python); domain objects are host objects.

/// A Retort value.
public enum Value {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list(ListBox)
  case map(MapBox)
  case range(RangeBox)
  case function(Closure)
  case native(NativeFunction)
  case object(HostObject)

  /// The name `type(x)` returns.
  public var typeName: String {
    switch self {
    case .none: return "nil"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .string: return "str"
    case .list: return "list"
    case .map: return "map"
    case .range: return "range"
    case .function, .native: return "function"
    case .object(let o): return o.typeInfo.name
    }
  }

  /// The value as a number where one is expected: ints, floats, bools (0 or 1)
  /// and one-value objects (a one-element tensor); nil for anything else.
  public var number: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .float(let d): return d
    case .bool(let b): return b ? 1 : 0
    case .object(let o): return o.scalar
    default: return nil
    }
  }

  /// The whole number a one-value object stands for (a one-element tensor
  /// holding 2.0), where an int is expected; nil for anything else.
  public var objectInteger: Int? {
    guard case .object(let o) = self, let d = o.scalar, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
    return Int(d)
  }

  /// The type name with its article, for messages: "an int", "a str", "a Dataset".
  public var typeNameWithArticle: String {
    let name = typeName
    return (name.first.map { "aeiouAEIOU".contains($0) } == true ? "an " : "a ") + name
  }

  /// Truthiness as in Python: nil, false, 0, empty strings and containers are
  /// false. An object may refuse (a tensor of several elements has no one truth).
  public var isTruthy: Bool {
    get throws {
    switch self {
    case .none: return false
    case .bool(let b): return b
    case .int(let i): return i != 0
    case .float(let d): return d != 0
    case .string(let s): return !s.isEmpty
    case .list(let l): return !l.items.isEmpty
    case .map(let m): return m.count > 0
    case .range(let r): return r.count > 0
    case .function, .native: return true
    case .object(let o): return try o.truthiness ?? true
    }
    }
  }

  /// Convenience constructors.
  public static func list(_ items: [Value]) -> Value { .list(ListBox(items)) }
  public static func map(_ pairs: [(String, Value)]) -> Value {
    let m = MapBox()
    for (k, v) in pairs { m[.string(k)] = v }
    return .map(m)
  }
}

/// A mutable list shared by reference.
public final class ListBox {
  /// The most elements a list may be built with by repetition, expansion of a
  /// range or a comprehension: past it a slip (`range(10**12)`) would take all
  /// memory before anything could stop it.
  public static let maxBuilt = 20_000_000
  public var items: [Value]
  public init(_ items: [Value] = []) { self.items = items }
  deinit { releaseItems() }
}

/// A lazy `range(start, stop, step)`.
public final class RangeBox {
  public let start: Int, stop: Int, step: Int
  public init(_ start: Int, _ stop: Int, _ step: Int) {
    self.start = start
    self.stop = stop
    self.step = step
  }
  /// Number of elements; a range longer than Int.max is refused when made
  /// (`RangeBox.checked`), so this is exact.
  public var count: Int {
    if step > 0 {
      guard stop > start else { return 0 }
      return Int(clamping: (UInt(bitPattern: stop &- start) - 1) / UInt(step) + 1)
    }
    guard start > stop else { return 0 }
    return Int(clamping: (UInt(bitPattern: start &- stop) - 1) / step.magnitude + 1)
  }
  public func element(_ i: Int) -> Int { start &+ i &* step }

  /// A range, or an error if it would hold more than Int.max elements
  /// (`range(-2**63, 2**63 - 1)`), whose length and last element no Int holds.
  public static func checked(_ start: Int, _ stop: Int, _ step: Int) throws -> RangeBox {
    let span = step > 0 ? (stop > start ? UInt(bitPattern: stop &- start) : 0)
                        : (start > stop ? UInt(bitPattern: start &- stop) : 0)
    if span > 0, (span - 1) / step.magnitude >= UInt(Int.max) {
      throw ScriptError("range(): range(\(start), \(stop), \(step)) would have more than \(Int.max) elements")
    }
    return RangeBox(start, stop, step)
  }
}

/// Keys a map can hold: strings, numbers, booleans and nil. An integral
/// float key equals the int key (as in Python, `m[1] is m[1.0]`), and a
/// one-value object (a one-element tensor) is the key of its number.
public enum MapKey: Hashable {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)

  public init?(_ v: Value) {
    switch v {
    case .none: self = .none
    case .bool(let b): self = .bool(b)
    case .int(let i): self = .int(i)
    case .float(let d):
      if d.isNaN { return nil }
      if d.rounded() == d, abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d) }
    case .string(let s): self = .string(s)
    case .object(let o):
      guard let v = o.scalarKey else { return nil }
      if case .object = v { return nil }
      self.init(v)
    default: return nil
    }
  }

  /// Why `v` cannot be a key (for a value `init` refuses).
  public static func refusal(_ v: Value) -> String {
    if let d = v.number, d.isNaN { return "a map key cannot be NaN: it equals nothing, not even itself" }
    if case .object = v { return "a map key must be a string, number, bool or nil, not \(v.typeNameWithArticle) (only one with a single value is a number)" }
    return "a map key must be a string, number, bool or nil, not \(v.typeName)"
  }

  /// Keys are equal as values are: strings by code points ("é" and
  /// "e\u{301}" are two keys, as in Python). The synthesised hash agrees:
  /// Swift hashes canonically equivalent strings alike, so equal keys hash alike.
  public static func == (a: MapKey, b: MapKey) -> Bool {
    switch (a, b) {
    case (.none, .none): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.float(let x), .float(let y)): return x == y
    case (.string(let x), .string(let y)): return x.sameCodePoints(y)
    default: return false
    }
  }

  public var value: Value {
    switch self {
    case .none: return .none
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let d): return .float(d)
    case .string(let s): return .string(s)
    }
  }
}

/// An insertion-ordered map shared by reference.
public final class MapBox {
  public private(set) var keys: [MapKey] = []
  private var storage: [MapKey: Value] = [:]

  public init() {}

  public var count: Int { keys.count }

  public subscript(key: MapKey) -> Value? {
    get { storage[key] }
    set {
      if let v = newValue {
        if storage.updateValue(v, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  /// Looks up a string key.
  public subscript(string key: String) -> Value? { self[.string(key)] }

  /// Key-value pairs in insertion order.
  public var pairs: [(MapKey, Value)] { keys.compactMap { k in storage[k].map { (k, $0) } } }

  public func copy() -> MapBox {
    let m = MapBox()
    m.keys = keys
    m.storage = storage
    return m
  }

  deinit {
    // Nested containers are released by Teardown's loop (see Teardown.swift).
    guard Teardown.nests(storage.values) else { return }
    var values = Array(storage.values)
    storage = [:]
    Teardown.release(&values)
  }
}
