// Conversions between language values and tensors: numbers, nested lists,
// shapes and axis lists.

import RetortCompute
import RetortLang

enum TensorConvert {
  /// A tensor from a value: a tensor, a number, a bool or nested lists of numbers.
  static func tensor(_ v: Value, _ what: String) throws -> Tensor {
    switch v {
    case .object(let o as TensorValue): return o.tensor
    case .int(let i): return Tensor(scalar: Float(i))
    case .float(let d): return Tensor(scalar: Float(d))
    case .bool(let b): return try Tensor.fromNested(b)  // a 0-d bool tensor
    case .list: return try Tensor.fromNested(try any(v, what))
    default: throw ScriptError("\(what): expected a tensor, a number or a nested list of numbers, got \(v.typeName)")
    }
  }

  /// A value as nested Swift arrays of numbers (for `Tensor.fromNested`).
  static func any(_ v: Value, _ what: String, depth: Int = 0) throws -> Any {
    switch v {
    case .int(let i): return i
    case .float(let d): return d
    case .bool(let b): return b
    case .list(let l):
      guard depth < Tensor.maxRank else {
        throw ScriptError("\(what): the lists are nested more than \(Tensor.maxRank) deep; a tensor has at most \(Tensor.maxRank) dimensions")
      }
      return try l.items.map { try any($0, what, depth: depth + 1) }
    case .object(let o as TensorValue):
      guard listsBuilt(o.tensor) <= ListBox.maxBuilt else {
        throw ScriptError("\(what): a tensor of shape \(o.tensor.shape) inside a list is too many lists to read")
      }
      return o.tensor.toNested()
    default: throw ScriptError("\(what): lists must contain only numbers, got \(v.typeName)")
    }
  }

  /// A shape: an int or a list of ints.
  static func shape(_ v: Value?, _ what: String) throws -> [Int] {
    guard let v else { throw ScriptError("\(what): a shape is required, e.g. [2, 3]") }
    switch v {
    case .int(let i): return [i]
    case .list(let l):
      return try l.items.map {
        if case .int(let i) = $0 { return i }
        // A one-element tensor holding a whole number is that entry.
        guard let i = $0.objectInteger else { throw ScriptError("\(what): shape entries must be integers, got \($0.typeName)") }
        return i
      }
    case .object(let o as TensorValue): return try o.tensor.integerValues(op: what)
    default: throw ScriptError("\(what): a shape is an int or a list of ints, got \(v.typeName)")
    }
  }

  /// Integer indices from an int, a list or a tensor of whole numbers.
  static func indices(_ v: Value, _ what: String) throws -> ([Int], [Int]) {
    switch v {
    case .int(let i): return ([i], [])
    case .object(let o as TensorValue): return (try o.tensor.integerValues(op: what), o.tensor.shape)
    case .list:
      let t = try tensor(v, what)
      return (try t.integerValues(op: what), t.shape)
    default: throw ScriptError("\(what): indices must be an int, a list of ints or a tensor, got \(v.typeName)")
    }
  }

  /// Subscript components: integers (a 0-d tensor of a whole number is one),
  /// slices, index lists (lists or tensors of whole numbers) and bool masks
  /// (bool tensors, or lists of booleans).
  static func indexParts(_ index: [IndexValue]) throws -> [TensorIndex] {
    try index.enumerated().map { n, part in
      switch part {
      case .slice(let a, let b, let step): return .range(a, b, step ?? 1)
      case .value(.int(let i)): return .at(i)
      case .value(let v):
        let what = "index \(n)"
        let t: Tensor
        switch v {
        case .object(let o as TensorValue): t = o.tensor
        case .list: t = try tensor(v, what)
        default: throw ScriptError("\(what): an index is an int, a slice, a list or tensor of ints, or a bool mask; got \(v.typeName)")
        }
        if t.dtype == .bool { return .mask(t) }
        let values = try t.integerValues(op: what)
        if t.rank == 0, let i = values.first { return .at(i) }
        return .list(values, shape: t.shape)
      }
    }
  }

  /// Wraps a tensor as a value.
  static func value(_ t: Tensor) -> Value { .object(TensorValue(t)) }

  /// Shape as a language list.
  static func shapeValue(_ s: [Int]) -> Value { .list(s.map { .int($0) }) }

  /// The lists `toList` would build: one per index of every axis but the last, down to the
  /// first empty axis ([10**14, 0] is 10**14 empty lists).
  static func listsBuilt(_ t: Tensor) -> Int {
    var total = 0, level = 1
    for n in t.shape.dropLast() {
      let (m, overflow) = level.multipliedReportingOverflow(by: n)
      if overflow { return Int.max }
      level = m
      total = total > Int.max - level ? Int.max : total + level
      if n == 0 { break }
    }
    return total
  }

  /// Nested lists of floats, or of bools for a bool tensor (one value for a 0-d tensor).
  static func toList(_ t: Tensor) -> Value {
    func conv(_ x: Any) -> Value {
      if let b = x as? Bool { return .bool(b) }
      if let d = x as? Double { return .float(d) }
      if let arr = x as? [Any] { return .list(arr.map(conv)) }
      return .none
    }
    return conv(t.toNested())
  }
}
