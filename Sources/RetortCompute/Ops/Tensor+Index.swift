// Index and slice reads (strided views) and writes, take and embedding
// lookup, with gradients. Negative indices count from the end; any index
// out of range is an error naming the axis and size.

extension Tensor {
  /// Normalises an index along `axis` or throws an out-of-range error.
  func checkedIndex(_ i: Int, axis: Int, op: String) throws -> Int {
    let n = shape[axis]
    let j = i < 0 ? i + n : i
    guard j >= 0, j < n else {
      throw ComputeError("\(op): index \(i) is out of range for axis \(axis) with size \(n)")
    }
    return j
  }

  /// `t[i]` along `axis`: drops that dimension (a view).
  public func select(_ index: Int, axis: Int = 0) throws -> Tensor {
    guard rank >= 1 else { throw ComputeError("index: cannot index a 0-d tensor") }
    let a = try normalizedAxis(axis, op: "index")
    let i = try checkedIndex(index, axis: a, op: "index")
    var s = shape, st = strides
    s.remove(at: a); st.remove(at: a)
    let out = Tensor(storage: storage, shape: s, strides: st, offset: offset + i * strides[a], dtype: dtype)
    let full = shape
    out.record("index", [self]) { g in
      let z = try Tensor.zeros(full)
      try z.select(i, axis: a).assign(g)
      return [z]
    }
    return out
  }

  /// `t[start:end:step]` along `axis` (Python slice semantics, clamped
  /// bounds, negative values from the end); a strided view.
  public func slice(axis: Int = 0, start: Int? = nil, end: Int? = nil, step: Int = 1) throws -> Tensor {
    guard rank >= 1 else { throw ComputeError("slice: cannot slice a 0-d tensor") }
    guard step != 0 else { throw ComputeError("slice: step cannot be zero") }
    let a = try normalizedAxis(axis, op: "slice")
    let n = shape[a]
    // A step longer than the axis takes one element, as a step of n does; clamping
    // keeps the length and stride arithmetic from overflowing (`t[1::2**63-1]`).
    let step = step > 0 ? Swift.min(step, Swift.max(n, 1)) : Swift.max(step, -Swift.max(n, 1))
    func clampBound(_ v: Int?, _ dflt: Int) -> Int {
      guard var v else { return dflt }
      if v < 0 { v += n }
      return step > 0 ? Swift.min(Swift.max(v, 0), n) : Swift.min(Swift.max(v, -1), n - 1)
    }
    let lo = clampBound(start, step > 0 ? 0 : n - 1)
    let hi = clampBound(end, step > 0 ? n : -1)
    let len = step > 0 ? Swift.max(0, (hi - lo + step - 1) / step) : Swift.max(0, (lo - hi - step - 1) / -step)
    var s = shape, st = strides
    s[a] = len; st[a] = strides[a] * step
    let out = Tensor(storage: storage, shape: s, strides: st, offset: offset + (len > 0 ? lo * strides[a] : 0), dtype: dtype)
    let full = shape
    out.record("slice", [self]) { g in
      let z = try Tensor.zeros(full)
      try z.slice(axis: a, start: start, end: end, step: step).assign(g)
      return [z]
    }
    return out
  }

  /// Writes `value` (broadcast) into `t[start:end:step]` along `axis`.
  /// - Throws: if this tensor requires gradients (in-place writes would
  ///   corrupt the tape) or shapes do not broadcast.
  public func setSlice(axis: Int = 0, start: Int? = nil, end: Int? = nil, step: Int = 1, to value: Tensor) throws {
    try checkWritable()
    try Tensor.noGrad { try slice(axis: axis, start: start, end: end, step: step).assign(value) }
  }

  /// Writes `value` (broadcast) into `t[index]` along `axis`.
  public func setIndex(_ index: Int, axis: Int = 0, to value: Tensor) throws {
    try checkWritable()
    try Tensor.noGrad { try select(index, axis: axis).assign(value) }
  }

  func checkWritable() throws {
    if requiresGrad && GradMode.isEnabled {
      throw ComputeError("index assignment: cannot write in place into a tensor that requires gradients; use no_grad or a copy")
    }
  }

  /// Slices of this tensor picked by integer `indices` along `axis` (a copy;
  /// NumPy's `take`): the result shape replaces that axis with the indices'
  /// shape. Gradients scatter-add back. PyTorch's `gather` is `gather(_:axis:)`.
  public func take(_ indices: [Int], shape idxShape: [Int]? = nil, axis: Int = 0) throws -> Tensor {
    guard rank >= 1 else { throw ComputeError("take: cannot take from a 0-d tensor") }
    let a = try normalizedAxis(axis, op: "take")
    let ishape = idxShape ?? [indices.count]
    guard ishape.reduce(1, *) == indices.count else {
      throw ComputeError("take: \(indices.count) indices do not fill index shape \(shapeString(ishape))")
    }
    let idx = try indices.map { try checkedIndex($0, axis: a, op: "take") }
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), n = shape[a]
    let outShape = Array(shape[..<a]) + ishape + Array(shape[(a + 1)...])
    let out = try Tensor(uninitialized: outShape, what: "take").tagged(dtype)
    let dense = contiguous()
    defer { withExtendedLifetime(dense) {} }  // src points into it
    let src = dense.pointer, dst = out.mutablePointer
    for o in 0..<outer {
      for (k, i) in idx.enumerated() {
        (dst + (o * idx.count + k) * inner).update(from: src + (o * n + i) * inner, count: inner)
      }
    }
    let full = shape
    out.record("take", [self]) { g in
      let z = try Tensor.zeros(full)
      let gDense = g.contiguous()
      defer { withExtendedLifetime(gDense) {} }  // gp points into it
      let gp = gDense.pointer, zp = z.mutablePointer
      for o in 0..<outer {
        for (k, i) in idx.enumerated() {
          let d = zp + (o * n + i) * inner, s = gp + (o * idx.count + k) * inner
          for j in 0..<inner { d[j] += s[j] }
        }
      }
      return [z]
    }
    return out
  }

  /// `take` with indices given as a tensor of whole numbers.
  public func take(_ indices: Tensor, axis: Int = 0) throws -> Tensor {
    try take(try indices.integerValues(op: "take"), shape: indices.shape, axis: axis)
  }

  /// Embedding lookup: `table` [vocab, dim] rows for `ids` -> ids.shape + [dim].
  public static func embedding(_ table: Tensor, ids: [Int], shape: [Int]? = nil) throws -> Tensor {
    guard table.rank == 2 else {
      throw ComputeError("embedding: table must be 2-d [vocab, dim], got \(shapeString(table.shape))")
    }
    // Token ids count from 0, as in PyTorch: -1 is a slip, not the last row.
    if let i = ids.firstIndex(where: { $0 < 0 || $0 >= table.shape[0] }) {
      throw ComputeError("embedding: id \(ids[i]) at position \(i) is out of range for a table of \(table.shape[0]) rows (ids are 0...\(table.shape[0] - 1))")
    }
    return try table.take(ids, shape: shape, axis: 0)
  }

  /// The elements as integers; throws if any is not a whole number.
  public func integerValues(op: String) throws -> [Int] {
    try toArray().map { v in
      guard v.isFinite, v == v.rounded(), Swift.abs(v) < 9e15 else {
        throw ComputeError("\(op): index \(v) is not a whole number")
      }
      return Int(v)
    }
  }
}
