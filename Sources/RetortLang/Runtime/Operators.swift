import Foundation

// Arithmetic (comparison is in Operators+Compare.swift). Ints never overflow
// silently: an overflow is an error. `/` always gives a float, `//` and `%`
// floor as in Python.

extension Interpreter {
  public func binary(_ op: BinaryOp, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
    do {
      if let r = try arithmetic(op, a, b) { return r }
    } catch {
      throw located(error, span)
    }
    throw RetortError(
      .runtime, "unsupported operand types for \(op.rawValue): \(a.typeName) and \(b.typeName)", at: span)
  }

  /// `a op= b`. As in Python, a list grows in place with `+=` (any iterable:
  /// list.__iadd__) and repeats in place with `*=`, so every name for it sees
  /// the change; an object may update itself in place (a tensor). Anything
  /// else makes a new value, `a op b`, for the target to be rebound to.
  public func augmented(_ op: BinaryOp, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
    do {
      switch (a, op, b) {
      case (.list(let l), .add, _):
        l.items.append(contentsOf: try iterate(b, what: "+= on a list"))
        return a
      case (.list(let l), .mul, .int(let n)):
        try checkSize(l.items.count, n)
        l.items = Array([[Value]](repeating: l.items, count: max(0, n)).joined())
        return a
      case (.object(let o), _, _):
        if try o.inPlace(op, b) { return a }
      default: break
      }
    } catch {
      throw located(error, span)
    }
    return try binary(op, a, b, span)
  }

  func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return try intOp(op, x, y)
    case (.int(let x), .float(let y)): return try floatOp(op, Double(x), y)
    case (.float(let x), .int(let y)): return try floatOp(op, x, Double(y))
    case (.float(let x), .float(let y)): return try floatOp(op, x, y)
    case (.bool(let x), _) where isNumber(b): return try arithmetic(op, .int(x ? 1 : 0), b)
    case (_, .bool(let y)) where isNumber(a): return try arithmetic(op, a, .int(y ? 1 : 0))
    case (.string(let x), .string(let y)) where op == .add: return .string(x + y)
    case (.string(let x), .int(let n)) where op == .mul: return .string(try repeated(x, n))
    case (.int(let n), .string(let x)) where op == .mul: return .string(try repeated(x, n))
    case (.string(let x), _) where op == .mod: return .string(try Format.percent(x, b, self))
    case (.list(let x), .list(let y)) where op == .add: return .list(ListBox(x.items + y.items))
    case (.list(let x), .int(let n)) where op == .mul:
      try checkSize(x.items.count, n)
      return .list(ListBox(Array([[Value]](repeating: x.items, count: max(0, n)).joined())))
    case (.object(let o), _):
      return try o.binary(op, b, reversed: false)
    case (_, .object(let o)):
      return try o.binary(op, a, reversed: true)
    default: return nil
    }
  }

  func isNumber(_ v: Value) -> Bool {
    switch v {
    case .int, .float, .bool: return true
    default: return false
    }
  }

  func checkSize(_ count: Int, _ times: Int) throws {
    let (total, o) = count.multipliedReportingOverflow(by: max(0, times))
    if o || total > ListBox.maxBuilt { throw ScriptError("result would be too large (\(count) x \(times) elements)") }
  }

  func repeated(_ s: String, _ n: Int) throws -> String {
    try checkSize(s.utf8.count, n)
    return String(repeating: s, count: max(0, n))
  }

  func intOp(_ op: BinaryOp, _ x: Int, _ y: Int) throws -> Value {
    func overflow() -> ScriptError { ScriptError("integer overflow in \(x) \(op.rawValue) \(y)") }
    switch op {
    case .add:
      let (r, o) = x.addingReportingOverflow(y)
      if o { throw overflow() }
      return .int(r)
    case .sub:
      let (r, o) = x.subtractingReportingOverflow(y)
      if o { throw overflow() }
      return .int(r)
    case .mul:
      let (r, o) = x.multipliedReportingOverflow(by: y)
      if o { throw overflow() }
      return .int(r)
    case .div:
      if y == 0 { throw ScriptError("division by zero") }
      return .float(Double(x) / Double(y))
    case .floorDiv, .mod:
      if y == 0 { throw ScriptError(op == .mod ? "modulo by zero" : "division by zero") }
      // Int.min // -1 is 2**63, past Int; its remainder is 0, as in Python.
      if x == Int.min && y == -1 { if op == .mod { return .int(0) }; throw overflow() }
      var q = x / y
      var r = x % y
      if r != 0 && ((r < 0) != (y < 0)) { q -= 1; r += y }
      return .int(op == .mod ? r : q)
    case .pow:
      if y < 0 {
        // As Python: 0 to a negative power divides by zero.
        if x == 0 { throw ScriptError("division by zero (0 to the power \(y))") }
        return .float(pow(Double(x), Double(y)))
      }
      var result = 1, base = x, e = y
      while e > 0 {
        if e & 1 == 1 {
          let (r, o) = result.multipliedReportingOverflow(by: base)
          if o { throw overflow() }
          result = r
        }
        e >>= 1
        if e > 0 {
          let (b2, o) = base.multipliedReportingOverflow(by: base)
          if o { throw overflow() }
          base = b2
        }
      }
      return .int(result)
    case .matmul:
      throw ScriptError("unsupported operand types for @: int and int (@ is the matrix product of tensors)")
    }
  }

  func floatOp(_ op: BinaryOp, _ x: Double, _ y: Double) throws -> Value {
    switch op {
    case .add: return .float(x + y)
    case .sub: return .float(x - y)
    case .mul: return .float(x * y)
    case .div:
      if y == 0 { throw ScriptError("division by zero") }
      return .float(x / y)
    case .floorDiv, .mod:
      if y == 0 { throw ScriptError(op == .mod ? "modulo by zero" : "division by zero") }
      let (q, r) = floatDivMod(x, y)
      return .float(op == .mod ? r : q)
    case .pow:
      if x == 0 && y < 0 { throw ScriptError("division by zero (0 to the power \(Display.formatFloat(y)))") }
      return .float(pow(x, y))
    case .matmul:
      throw ScriptError("unsupported operand types for @: float and float (@ is the matrix product of tensors)")
    }
  }

  /// Python's float divmod (CPython's float_divmod): the remainder is fmod's,
  /// moved to the divisor's sign, and the floor quotient is derived from it,
  /// so `//` agrees with `%` (7.0 // 0.1 is 69.0, as 7.0 % 0.1 is 0.0999...)
  /// and a == (a // b) * b + a % b as closely as floats allow.
  func floatDivMod(_ x: Double, _ y: Double) -> (quotient: Double, remainder: Double) {
    var mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 {
      if (y < 0) != (mod < 0) { mod += y; div -= 1 }
    } else {
      mod = Double(signOf: y, magnitudeOf: 0)
    }
    guard div != 0 else { return (Double(signOf: x / y, magnitudeOf: 0), mod) }
    var floor = div.rounded(.down)
    if div - floor > 0.5 { floor += 1 }
    return (floor, mod)
  }

  public func unary(_ op: UnaryOp, _ v: Value, _ span: Span) throws -> Value {
    switch (op, v) {
    case (.neg, .int(let i)):
      if i == Int.min { throw RetortError(.runtime, "integer overflow in -(\(i))", at: span) }
      return .int(-i)
    case (.neg, .float(let d)): return .float(-d)
    case (.neg, .bool(let b)): return .int(b ? -1 : 0)
    case (.pos, .int), (.pos, .float): return v
    case (.not, _): return .bool(!(try v.isTruthy))
    case (_, .object(let o)):
      do { if let r = try o.unary(op) { return r } } catch { throw located(error, span) }
    default: break
    }
    throw RetortError(.runtime, "bad operand type for unary \(op.rawValue): \(v.typeName)", at: span)
  }
}
