// Tensor operators (+ - * / ** @, comparisons, unary minus) and NumPy-style
// indexing: t[0], t[:, 1], t[1:3], t[::-1], t[[2, 0]], with assignment.

import RetortCompute
import RetortLang

extension TensorValue {
  func binary(_ op: BinaryOp, _ other: Value, reversed: Bool) throws -> Value? {
    let o = try TensorConvert.tensor(other, "operator \(op.rawValue)")
    let (a, b) = reversed ? (o, tensor) : (tensor, o)
    switch op {
    case .add: return TensorConvert.value(try a + b)
    case .sub: return TensorConvert.value(try a - b)
    case .mul: return TensorConvert.value(try a * b)
    case .div: return TensorConvert.value(try a / b)
    case .pow: return TensorConvert.value(try a.pow(b))
    case .matmul: return TensorConvert.value(try a.matmul(b))
    case .floorDiv, .mod: return nil
    }
  }

  func compare(_ op: CompareOp, _ other: Value) throws -> Value? {
    let o = try TensorConvert.tensor(other, "comparison \(op.rawValue)")
    let map: [CompareOp: ComparisonOp] = [.eq: .equal, .ne: .notEqual, .lt: .less, .le: .lessEqual, .gt: .greater, .ge: .greaterEqual]
    guard let c = map[op] else { return nil }
    return TensorConvert.value(try tensor.compare(c, o))
  }

  func unary(_ op: UnaryOp) throws -> Value? {
    switch op {
    case .neg: return TensorConvert.value(try tensor * -1)
    case .pos: return .object(self)
    case .not: return nil
    }
  }

  /// Applies index components left to right; each consumes one axis
  /// (an integer drops it; a slice or an index list keeps it).
  func view(_ index: [IndexValue]) throws -> Tensor {
    var t = tensor
    var axis = 0
    for (n, part) in index.enumerated() {
      guard axis < t.rank else {
        throw ScriptError("index: too many indices (\(index.count)) for a tensor with \(tensor.rank) dimensions")
      }
      switch part {
      case .value(.int(let i)):
        t = try t.select(i, axis: axis)
      case .slice(let a, let b, let c):
        t = try t.slice(axis: axis, start: a, end: b, step: c ?? 1)
        axis += 1
      case .value(let v):
        let (idx, shape) = try TensorConvert.indices(v, "index \(n)")
        t = try t.gather(idx, shape: shape, axis: axis)
        axis += Swift.max(shape.count, 1)
      }
    }
    return t
  }

  func getIndex(_ index: [IndexValue]) throws -> Value? {
    let t = try view(index)
    return TensorConvert.value(t)
  }

  func setIndex(_ index: [IndexValue], _ value: Value) throws -> Bool {
    if tensor.requiresGrad {
      throw ScriptError("index assignment: cannot write in place into a tensor that requires gradients; use detach() or a copy")
    }
    let src = try TensorConvert.tensor(value, "index assignment")
    for part in index {
      if case .value(let v) = part, case .int = v { continue }
      if case .slice = part { continue }
      throw ScriptError("index assignment: only integers and slices are supported on the left of =")
    }
    try Tensor.noGrad {
      let target = try view(index)
      // As NumPy, leading size-1 dimensions of the value are dropped to fit (`x[0] = tensor([6.0])`).
      var value = src
      while value.rank > target.rank, value.shape[0] == 1 { value = try value.reshaped(Array(value.shape.dropFirst())) }
      try target.assign(value)
    }
    return true
  }
}
