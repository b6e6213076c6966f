// Reductions along one axis (or all elements) with keepdims: sum, mean,
// max, min, argmax, variance. Each output element is reduced by one thread
// in a fixed order (16 SIMD lanes, then the lanes in order), so results are
// identical for any thread count.

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
    if rank == 0 { return (1, 1, 1, []) }
    let a = try normalizedAxis(axis, op: op)
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    var s = shape
    if keepdims { s[a] = 1 } else { s.remove(at: a) }
    return (outer, shape[a], inner, s)
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
    let initial: Float = kind == .sum ? 0 : (kind == .max ? -.infinity : .infinity)
    WorkerPool.current.parallelRanges(outer, grain: Swift.max(1, (1 << 15) / Swift.max(1, n * inner))) { range in
      for ou in range {
        let base = src + ou * n * inner
        if inner == 1 {
          var acc = V16(repeating: initial)
          var j = 0
          let raw = UnsafeRawPointer(base)
          while j + 16 <= n {
            let v = raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self)
            switch kind {
            case .sum: acc += v
            case .max: acc = vmax(acc, v)
            case .min: acc = vmin(acc, v)
            }
            j += 16
          }
          var s: Float = initial
          for l in 0..<16 {
            switch kind {
            case .sum: s += acc[l]
            case .max: s = Swift.max(s, acc[l])
            case .min: s = Swift.min(s, acc[l])
            }
          }
          while j < n {
            switch kind {
            case .sum: s += base[j]
            case .max: s = Swift.max(s, base[j]); if base[j].isNaN { s = .nan }
            case .min: s = Swift.min(s, base[j]); if base[j].isNaN { s = .nan }
            }
            j += 1
          }
          o[ou] = s
        } else {
          let dst = o + ou * inner
          dst.update(repeating: initial, count: inner)
          for j in 0..<n {
            let row = base + j * inner
            switch kind {
            case .sum: binaryRow(AddK.self, dst, 1, row, 1, dst, inner)
            case .max: binaryRow(MaxK.self, dst, 1, row, 1, dst, inner)
            case .min: binaryRow(MinK.self, dst, 1, row, 1, dst, inner)
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
    let n = axis == nil ? count : (rank == 0 ? 1 : shape[try normalizedAxis(axis!, op: "mean")])
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
  /// nil); the first one on ties. Returned as floats.
  public func argmax(axis: Int? = nil, keepdims: Bool = false) throws -> Tensor {
    let (outer, n, inner, outShape) = try reductionLayout(axis, keepdims: keepdims, op: "argmax")
    guard n > 0 else { throw ComputeError("argmax: cannot take argmax of an empty axis") }
    let dense = contiguous()
    defer { withExtendedLifetime(dense) {} }  // src points into it
    let src = dense.pointer
    let out = try Tensor(uninitialized: outShape, what: "argmax")
    for ou in 0..<outer {
      for i in 0..<inner {
        var best = 0
        var bv = src[ou * n * inner + i]
        for j in 1..<Swift.max(n, 1) where src[(ou * n + j) * inner + i] > bv {
          bv = src[(ou * n + j) * inner + i]; best = j
        }
        out.mutablePointer[ou * inner + i] = Float(best)
      }
    }
    return out
  }

  /// Variance over `axis` (all when nil): mean of squared deviations,
  /// divided by n - 1 when `unbiased`.
  public func variance(axis: Int? = nil, keepdims: Bool = false, unbiased: Bool = false) throws -> Tensor {
    let n = axis == nil ? count : (rank == 0 ? 1 : shape[try normalizedAxis(axis!, op: "variance")])
    guard n > (unbiased ? 1 : 0) else { throw ComputeError("variance: not enough elements along the axis") }
    let m = try mean(axis: axis, keepdims: true)
    let d = try self - m
    return try (d * d).sum(axis: axis, keepdims: keepdims) * (1 / Float(unbiased ? n - 1 : n))
  }
}
