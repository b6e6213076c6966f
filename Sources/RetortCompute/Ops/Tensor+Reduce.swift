// Reductions along one axis (or all elements) with keepdims: sum, mean,
// max, min, argmax, argmin, variance. Each output element is reduced by one
// thread in a fixed order (blocked 16-lane SIMD sums, see ReduceKernels.swift),
// so results are identical for any thread count.

extension Tensor {
  /// Normalises `axis` (negative counts from the end) or throws.
  func normalizedAxis(_ axis: Int, op: String) throws -> Int {
    let r = Swift.max(rank, 1)
    let a = axis < 0 ? axis + r : axis
    guard a >= 0, a < r else {
      throw ComputeError("\(op): axis \(axis) is out of range for a tensor with \(rank) dimensions")
    }
    return a
  }

  /// Splits the shape around `axis` into (outer, n, inner) and the result shape.
  private func reductionLayout(_ axis: Int?, keepdims: Bool, op: String) throws -> (Int, Int, Int, [Int]) {
    guard let axis else {
      return (1, count, 1, keepdims ? [Int](repeating: 1, count: rank) : [])
    }
    // A 0-d tensor reduces along axis 0 or -1 (as PyTorch); others are out of range.
    let a = try normalizedAxis(axis, op: op)
    if rank == 0 { return (1, 1, 1, []) }
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    var s = shape
    if keepdims { s[a] = 1 } else { s.remove(at: a) }
    return (outer, shape[a], inner, s)
  }

  /// How many values each output of a reduction along `axis` combines.
  private func reducedCount(_ axis: Int?, op: String) throws -> Int {
    guard let axis else { return count }
    let a = try normalizedAxis(axis, op: op)
    return rank == 0 ? 1 : shape[a]
  }

  private enum ReduceKind { case sum, max, min }

  private func reduce(_ kind: ReduceKind, axis: Int?, keepdims: Bool, op: String) throws -> Tensor {
    let (outer, n, inner, outShape) = try reductionLayout(axis, keepdims: keepdims, op: op)
    if n == 0 && kind != .sum {
      throw ComputeError("\(op): cannot reduce an empty axis")
    }
    let dense = contiguous()
    defer { withExtendedLifetime(dense) {} }  // src points into it
    let src = dense.pointer
    let out = try Tensor(uninitialized: outShape, what: op)
    let o = out.mutablePointer
    WorkerPool.current.parallelRanges(outer, grain: Swift.max(1, (1 << 15) / Swift.max(1, n * inner))) { range in
      var scratch: [Double] = []
      for ou in range {
        let base = src + ou * n * inner
        if inner == 1 {
          switch kind {
          case .sum: o[ou] = runSum(base, n)
          case .max: o[ou] = runExtremum(base, n, largest: true)
          case .min: o[ou] = runExtremum(base, n, largest: false)
          }
        } else {
          let dst = o + ou * inner
          switch kind {
          case .sum: rowsSum(base, n, inner, dst, &scratch)
          case .max, .min:
            dst.update(from: base, count: inner)
            for j in 1..<n {
              if kind == .max { binaryRow(MaxK.self, dst, 1, base + j * inner, 1, dst, inner) }
              else { binaryRow(MinK.self, dst, 1, base + j * inner, 1, dst, inner) }
            }
          }
        }
      }
    }
    return out
  }

  /// Gradient of a reduction output `g` expanded back to this tensor's shape.
  private func expandGrad(_ g: Tensor, axis: Int?, keepdims: Bool) throws -> Tensor {
    var g = g
    if !keepdims {
      if let axis { g = try g.unsqueezed(try normalizedAxis(axis, op: "sum")) }
      else { g = try g.reshaped([Int](repeating: 1, count: rank)) }
    }
    return try g.broadcastView(to: shape, op: "sum").contiguous()
  }

  /// Sum over `axis` (all elements when nil).
  public func sum(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    let out = try reduce(.sum, axis: axis, keepdims: keepdims, op: "sum")
    out.record("sum", [self]) { [unowned self] g in [try self.expandGrad(g, axis: axis, keepdims: keepdims)] }
    return out
  }

  /// Mean over `axis` (all elements when nil).
  public func mean(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    let n = try reducedCount(axis, op: "mean")
    guard n > 0 else { throw ComputeError("mean: cannot take the mean of an empty tensor") }
    let s = try Tensor.noGrad { try reduce(.sum, axis: axis, keepdims: keepdims, op: "mean") }
    let out = try Tensor.noGrad { try s * (1 / Float(n)) }
    out.record("mean", [self]) { [unowned self] g in [try self.expandGrad(g, axis: axis, keepdims: keepdims) * (1 / Float(n))] }
    return out
  }

  /// Maximum over `axis` (all when nil); the gradient is shared evenly by the
  /// maximal elements (as PyTorch's amax and full max), so it sums to the incoming one.
  public func max(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    try extremum(.max, axis: axis, keepdims: keepdims, op: "max")
  }

  /// Minimum over `axis` (all when nil); the gradient is shared evenly by the minimal elements.
  public func min(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    try extremum(.min, axis: axis, keepdims: keepdims, op: "min")
  }

  private func extremum(_ kind: ReduceKind, axis: Int?, keepdims: Bool, op: String) throws -> Tensor {
    let out = try reduce(kind, axis: axis, keepdims: keepdims, op: op)
    let x = detached(), o = out.detached()
    out.record(op, [self]) { [unowned self] g in
      let m = try self.expandGrad(o, axis: axis, keepdims: keepdims)
      let mask = try x.compare(.equal, m)
      let ties = try self.expandGrad(try mask.sum(axis: axis, keepdims: keepdims), axis: axis, keepdims: keepdims)
      return [try self.expandGrad(g, axis: axis, keepdims: keepdims) * mask / ties]
    }
    return out
  }

  /// Index of the largest element along `axis` (of the flattened tensor when
  /// nil); the first one on ties, and the first NaN if there is one (as NumPy
  /// and PyTorch). Returned as floats.
  public func argmax(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    try argExtremum(largest: true, axis: axis, keepdims: keepdims, op: "argmax")
  }

  /// Index of the smallest element along `axis` (of the flattened tensor when
  /// nil); the first one on ties, and the first NaN if there is one. Returned as floats.
  public func argmin(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    try argExtremum(largest: false, axis: axis, keepdims: keepdims, op: "argmin")
  }

  private func argExtremum(largest: Bool, axis: Int?, keepdims: Bool, op: String) throws -> Tensor {
    let (outer, n, inner, outShape) = try reductionLayout(axis, keepdims: keepdims, op: op)
    guard n > 0 else { throw ComputeError("\(op): cannot take \(op) of an empty axis") }
    // Indices come back as f32, exact up to 2^24: a wrong index is worse than none.
    guard n <= 1 << 24 else {
      throw ComputeError("\(op): the axis has \(n) elements, and an f32 index is exact only up to 16777216; "
                         + "take it in parts (reshape, \(op)(axis=...), then combine)")
    }
    let dense = contiguous()
    defer { withExtendedLifetime(dense) {} }  // src points into it
    let src = dense.pointer
    let out = try Tensor(uninitialized: outShape, what: op)
    let o = out.mutablePointer
    for ou in 0..<outer {
      for i in 0..<inner {
        o[ou * inner + i] = Float(RetortCompute.argExtremum(src + ou * n * inner + i, n, step: inner, largest: largest))
      }
    }
    return out
  }

  /// Variance over `axis` (all when nil): mean of squared deviations,
  /// divided by n - 1 when `unbiased`.
  public func variance(axis: Int? = nil, keepdims: Bool = false, unbiased: Bool = false) throws -> Tensor {
    let n = try reducedCount(axis, op: "variance")
    guard n > (unbiased ? 1 : 0) else { throw ComputeError("variance: not enough elements along the axis") }
    let m = try mean(axis: axis, keepdims: true)
    let d = try self - m
    return try (d * d).sum(axis: axis, keepdims: keepdims) * (1 / Float(unbiased ? n - 1 : n))
  }
}
