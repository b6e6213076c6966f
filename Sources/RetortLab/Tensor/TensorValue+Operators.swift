// Tensor operators (+ - * / // % ** @, in-place += -= *= /=, comparisons, unary minus) and NumPy-style
// indexing: t[0], t[:, 1], t[1:3], t[::-1], t[[2, 0]], t[:, [0, 2], [1, 3]]
// (lists paired), t[t > 0] (bool masks), with assignment (Tensor+Subscript.swift).

import RetortCompute
import RetortLang

extension TensorValue {
  func binary(_ op: BinaryOp, _ other: Value, reversed: Bool) throws -> Value? {
    let o = try TensorConvert.tensor(other, "operator \(op.rawValue)")
    let (a, b) = reversed ? (o, tensor) : (tensor, o)
    return try Self.arithmetic(op, a, b).map(TensorConvert.value)
  }

  static func arithmetic(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor? {
    switch op {
    case .add: return try a + b
    case .sub: return try a - b
    case .mul: return try a * b
    case .div: return try a / b
    case .pow: return try a.pow(b)
    case .matmul: return try a.matmul(b)
    case .floorDiv: return try a.floorDivide(b)
    case .mod: return try a.remainder(b)
    }
  }

  /// `t += x` (and -= *= /=) writes into t's storage, as PyTorch's in-place
  /// ops do, so every name for t and every view sharing its storage sees it
  /// (as index assignment does). While gradients are recorded and t or x
  /// takes part in them, it makes a new tensor instead, as `t = t + x`: the
  /// tape has no in-place operations, and `total += loss` must keep its graph.
  func inPlace(_ op: BinaryOp, _ other: Value) throws -> Bool {
    guard [.add, .sub, .mul, .div].contains(op) else { return false }
    let o = try TensorConvert.tensor(other, "operator \(op.rawValue)=")
    // A parameter updated by hand (w -= lr * w.grad) would become a new tensor outside the graph's
    // leaves, and the next step would find no gradient: refused, as PyTorch refuses it.
    if GradMode.isEnabled && tensor.requiresGrad && tensor.isLeaf {
      throw ScriptError("operator \(op.rawValue)=: this tensor is a leaf that requires gradients (a parameter); make the "
                        + "updated one a parameter again: w = (w - lr * w.grad).detach().requires_grad_()")
    }
    if GradMode.isEnabled && (tensor.requiresGrad || o.requiresGrad) { return false }
    if tensor.dtype == .bool {
      throw ScriptError("operator \(op.rawValue)=: a bool tensor holds only true and false; write t = t \(op.rawValue) x for a float tensor")
    }
    guard let r = try Self.arithmetic(op, tensor, o) else { return false }
    guard r.shape == tensor.shape else {
      throw ScriptError("operator \(op.rawValue)=: the result has shape \(r.shape), not the tensor's \(tensor.shape); "
                        + "in place the shape stays (write t = t \(op.rawValue) x for a new tensor)")
    }
    try tensor.assign(r)
    return true
  }

  func compare(_ op: CompareOp, _ other: Value) throws -> Value? {
    // `w.grad == nil`: a tensor is never nil (as torch's `t == None` is False).
    if case .none = other, op == .eq || op == .ne { return .bool(op == .ne) }
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
    let source = try TensorConvert.tensor(value, "index assignment")
    // Copying values in would drop their gradients without a word.
    if source.requiresGrad {
      throw ScriptError("index assignment: the value carries gradients, which writing it into a tensor would drop; "
                        + "build the tensor from its parts (tensor.stack, tensor.concat, where) so they flow, or assign value.detach()")
    }
    try tensor.assignSubscript(TensorConvert.indexParts(index), source)
    return true
  }
}
