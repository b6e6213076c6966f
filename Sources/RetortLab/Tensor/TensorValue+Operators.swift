// Tensor operators (+ - * / ** @, comparisons, unary minus) and NumPy-style
// indexing: t[0], t[:, 1], t[1:3], t[::-1], t[[2, 0]], t[:, [0, 2], [1, 3]]
// (lists paired), t[t > 0] (bool masks), with assignment (Tensor+Subscript.swift).

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

  func getIndex(_ index: [IndexValue]) throws -> Value? {
    TensorConvert.value(try tensor.subscripted(TensorConvert.indexParts(index)))
  }

  func setIndex(_ index: [IndexValue], _ value: Value) throws -> Bool {
    if tensor.requiresGrad {
      throw ScriptError("index assignment: cannot write in place into a tensor that requires gradients; use detach() or a copy")
    }
    try tensor.assignSubscript(TensorConvert.indexParts(index), TensorConvert.tensor(value, "index assignment"))
    return true
  }
}
