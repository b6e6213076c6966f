// Comparison, equality and containment, as Python's: ints and floats compare by
// exact value, strings by code points, containers deeply, and a one-element
// tensor (a one-value host object) as the number it holds.

extension Interpreter {
  public func compare(_ op: CompareOp, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
    do {
      switch op {
      case .eq, .ne:
        if case .object(let o) = a, let r = try o.compare(op, b) { return r }
        if case .object(let o) = b, let r = try o.compare(op, a) { return r }
        let eq = try valuesEqual(a, b)
        return .bool(op == .eq ? eq : !eq)
      case .isIn: return .bool(try contains(b, a))
      case .notIn: return .bool(!(try contains(b, a)))
      default:
        if case .object(let o) = a, let r = try o.compare(op, b) { return r }
        let c = try order(a, b)
        switch op {
        case .lt: return .bool(c < 0)
        case .le: return .bool(c <= 0)
        case .gt: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
      }
    } catch {
      throw located(error, span)
    }
  }

  /// Deep equality; ints and floats compare by exact value, as in Python
  /// (9007199254740993 != 9007199254740992.0, which Double(int) would round to it), and a
  /// one-value object (a one-element tensor) equals a number it is `==` to.
  public func valuesEqual(_ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
    if depth > 500 { throw ScriptError("values are nested too deeply to compare") }
    switch (a, b) {
    case (.none, .none): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.float(let x), .float(let y)): return x == y
    case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Int(exactly: y) == x
    case (.string(let x), .string(let y)): return x.sameCodePoints(y)
    case (.list(let x), .list(let y)):
      if x === y { return true }
      guard x.items.count == y.items.count else { return false }
      for (p, q) in zip(x.items, y.items) where !(try valuesEqual(p, q, depth: depth + 1)) { return false }
      return true
    case (.map(let x), .map(let y)):
      if x === y { return true }
      guard x.count == y.count else { return false }
      for (k, v) in x.pairs {
        guard let w = y[k], try valuesEqual(v, w, depth: depth + 1) else { return false }
      }
      return true
    case (.range(let x), .range(let y)):
      return x.count == y.count && (x.count == 0 || (x.start == y.start && (x.count == 1 || x.step == y.step)))
    case (.function(let x), .function(let y)): return x === y
    case (.native(let x), .native(let y)): return x === y
    case (.object(let x), .object(let y)) where x === y: return true
    case (.object(let o), _): return try scalarEqual(o, b)
    case (_, .object(let o)): return try scalarEqual(o, a)
    default: return false
    }
  }

  /// Whether a one-value object equals a number (or another one-value
  /// object): by its own `==` when it has one (a tensor compares in f32, as
  /// `t == 0.1` does), else by value. False for objects of several values.
  func scalarEqual(_ o: HostObject, _ other: Value) throws -> Bool {
    guard o.scalar != nil, other.number != nil else { return false }
    if let r = try o.compare(.eq, other) { return try r.isTruthy }
    return o.scalar == other.number
  }

  /// Ordering for <, sorted, min and max: -1, 0 or 1.
  public func order(_ a: Value, _ b: Value, depth: Int = 0) throws -> Int {
    if depth > 500 { throw ScriptError("values are nested too deeply to compare") }
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    // A one-value object (a one-element tensor) orders as its number.
    if case .object(let o) = a, let s = o.scalar { return try order(.float(s), b, depth: depth) }
    if case .object(let o) = b, let s = o.scalar { return try order(a, .float(s), depth: depth) }
    switch (a, b) {
    case (.int(let x), .int(let y)): return cmp(x, y)
    case (.float(let x), .float(let y)):
      if x.isNaN || y.isNaN { throw ScriptError("cannot order NaN") }
      return cmp(x, y)
    case (.int(let x), .float(let y)):
      if y.isNaN { throw ScriptError("cannot order NaN") }
      return exactOrder(x, y)
    case (.float(let x), .int(let y)):
      if x.isNaN { throw ScriptError("cannot order NaN") }
      return -exactOrder(y, x)
    case (.bool(let x), _): return try order(.int(x ? 1 : 0), b, depth: depth)
    case (_, .bool(let y)): return try order(a, .int(y ? 1 : 0), depth: depth)
    case (.string(let x), .string(let y)): return x.precedesByCodePoints(y) ? -1 : (x.sameCodePoints(y) ? 0 : 1)
    case (.list(let x), .list(let y)):
      for (p, q) in zip(x.items, y.items) {
        let c = try order(p, q, depth: depth + 1)
        if c != 0 { return c }
      }
      return cmp(x.items.count, y.items.count)
    default:
      throw ScriptError("cannot compare \(a.typeName) with \(b.typeName)")
    }
  }

  /// -1, 0 or 1 as the int `x` is below, equal to or above the float `y`
  /// (not NaN), exactly, as Python compares them: 2**53 + 1 > 2.0**53,
  /// though Double(2**53 + 1) is 2.0**53. Rounding to a double keeps order,
  /// so only a tie needs the exact look.
  func exactOrder(_ x: Int, _ y: Double) -> Int {
    let dx = Double(x)
    if dx != y { return dx < y ? -1 : 1 }
    // y is integral here, and at most 2**63, which is above every Int.
    guard let iy = Int(exactly: y) else { return -1 }
    return x < iy ? -1 : (x == iy ? 0 : 1)
  }

  /// `needle in haystack`.
  public func contains(_ haystack: Value, _ needle: Value) throws -> Bool {
    switch haystack {
    case .string(let s):
      guard case .string(let n) = needle else {
        throw ScriptError("'in <str>' needs a string on the left, not \(needle.typeName)")
      }
      return s.containsCodePoints(n)
    case .map(let m):
      guard let k = MapKey(needle) else { return false }
      return m[k] != nil
    case .range(let r):
      let i: Int
      if case .int(let x) = needle { i = x } else if let d = needle.number, d.rounded() == d, abs(d) < 9.2e18 { i = Int(d) }
      else { return false }
      let off = i &- r.start
      return off % r.step == 0 && off / r.step >= 0 && off / r.step < r.count
    default:
      if case .object(let o) = haystack, let r = try o.contains(needle) { return r }
      for x in try iterate(haystack, what: "'in'") where try valuesEqual(x, needle) { return true }
      return false
    }
  }
}
