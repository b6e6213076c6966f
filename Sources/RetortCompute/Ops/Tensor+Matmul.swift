// Matrix products: 2-d, batched with broadcast batch dimensions, and 1-d
// operands as NumPy treats them; plus `linear` (x W^T, weights stored
// [out, in] as in GGUF and PyTorch). Transposed views are multiplied
// without copying: GEMM packing reads any strides.

extension Tensor {
  /// The matrix product (NumPy `@` semantics).
  /// - Throws: `matmul: shapes [2, 3] and [4, 5] do not align: 3 vs 4`, or
  ///   a batch-broadcast error.
  public func matmul(_ other: Tensor) throws -> Tensor {
    let a = self, b = other
    guard a.rank >= 1, b.rank >= 1 else {
      throw ComputeError("matmul: both operands need at least 1 dimension, got shapes \(shapeString(a.shape)) and \(shapeString(b.shape))")
    }
    // Promote 1-d operands, multiply, then drop the added dimension.
    if a.rank == 1 || b.rank == 1 {
      let a2 = a.rank == 1 ? try a.reshaped([1, a.count]) : a
      let b2 = b.rank == 1 ? try b.reshaped([b.count, 1]) : b
      try Tensor.checkInner(a, b, a2.shape[a2.rank - 1], b2.shape[b2.rank - 2])
      var r = try a2.matmul(b2)
      var s = r.shape
      if a.rank == 1 { s.remove(at: s.count - 2) }
      if b.rank == 1 { s.remove(at: s.count - 1) }
      r = try r.reshaped(s)
      return r
    }
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
    let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
    try Tensor.checkInner(a, b, k, k2)
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    let batch = try Tensor.broadcastShape(batchA, batchB, op: "matmul")
    let out = try Tensor(uninitialized: batch + [m, n], what: "matmul")
    let av = try a.broadcastView(to: batch + [m, k], op: "matmul")
    let bv = try b.broadcastView(to: batch + [k, n], op: "matmul")
    let batches = batch.reduce(1, *)
    let br = batch.count
    var idx = [Int](repeating: 0, count: br)
    for t in 0..<batches {
      var oa = av.offset, ob = bv.offset
      for d in 0..<br { oa += idx[d] * av.strides[d]; ob += idx[d] * bv.strides[d] }
      Gemm.multiply(m: m, n: n, k: k,
                    a: MatrixRef(a.storage.pointer + oa, rowStride: av.strides[br], colStride: av.strides[br + 1]),
                    b: MatrixRef(b.storage.pointer + ob, rowStride: bv.strides[br], colStride: bv.strides[br + 1]),
                    c: out.mutablePointer + t * m * n, ldc: n)
      var d = br - 1
      while d >= 0 { idx[d] += 1; if idx[d] < batch[d] { break }; idx[d] = 0; d -= 1 }
    }
    let ad = a.detached(), bd = b.detached()
    out.record("matmul", [a, b]) { g in
      [a.requiresGrad ? try g.matmul(bd.transposed()).sum(to: ad.shape) : nil,
       b.requiresGrad ? try ad.transposed().matmul(g).sum(to: bd.shape) : nil]
    }
    return out
  }

  private static func checkInner(_ a: Tensor, _ b: Tensor, _ k: Int, _ k2: Int) throws {
    guard k == k2 else {
      throw ComputeError("matmul: shapes \(shapeString(a.shape)) and \(shapeString(b.shape)) do not align: \(k) vs \(k2)")
    }
  }

  /// y = x W^T (+ bias): x [..., in], weight [out, in], bias [out] -> [..., out].
  /// The shape every model layer uses; the weight is read transposed in place.
  public func linear(weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
    guard weight.rank == 2, rank >= 1, shape[rank - 1] == weight.shape[1] else {
      throw ComputeError("linear: input \(shapeString(shape)) and weight \(shapeString(weight.shape)) do not align: \(shape.last ?? 0) vs \(weight.rank == 2 ? weight.shape[1] : -1)")
    }
    let inF = weight.shape[1], outF = weight.shape[0]
    let x2 = try reshaped([count / Swift.max(inF, 1), inF])
    var y = try x2.matmul(weight.transposed())
    if let bias {
      guard bias.shape == [outF] else {
        throw ComputeError("linear: bias of shape \(shapeString(bias.shape)) does not match \(outF) outputs")
      }
      y = try y + bias
    }
    return try y.reshaped(Array(shape.dropLast()) + [outF])
  }
}

/// Raw-pointer f32 products for model code (no allocation, no autodiff).
public enum Linear {
  /// y[n, out] = x[n, in] W^T with W stored [out, in] row-major.
  public static func forward(x: UnsafePointer<Float>, rows n: Int, weight: UnsafePointer<Float>, outFeatures: Int,
                             inFeatures: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    if n == 1 {
      matvec(weight: weight, rows: outFeatures, cols: inFeatures, x: x, into: y, accumulate: accumulate)
      return
    }
    Gemm.multiply([problem(x: x, rows: n, weight: weight, outFeatures: outFeatures, inFeatures: inFeatures, into: y,
                           accumulate: accumulate)])
  }

  /// y[n, out] (+)= x[n, in] W^T as one product of a `Gemm.multiply` group.
  public static func problem(x: UnsafePointer<Float>, rows n: Int, weight: UnsafePointer<Float>, outFeatures: Int,
                             inFeatures: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool = false) -> GemmProblem {
    GemmProblem(m: n, n: outFeatures, k: inFeatures, a: MatrixRef(x, rowStride: inFeatures),
                b: MatrixRef(weight, rowStride: 1, colStride: inFeatures), c: y, ldc: outFeatures, accumulate: accumulate)
  }

  /// dW[out, in] (+)= dy[n, out]^T x[n, in]: a weight gradient as one product
  /// of a group (the gradients of projections of one input share its packing).
  public static func weightGradient(dy: UnsafePointer<Float>, x: UnsafePointer<Float>, rows n: Int, outFeatures: Int,
                                    inFeatures: Int, into dw: UnsafeMutablePointer<Float>, accumulate: Bool = true) -> GemmProblem {
    GemmProblem(m: outFeatures, n: inFeatures, k: n, a: MatrixRef(dy, rowStride: 1, colStride: outFeatures),
                b: MatrixRef(x, rowStride: inFeatures), c: dw, ldc: inFeatures, accumulate: accumulate)
  }

  /// dx[n, in] (+)= dy[n, out] W[out, in]: an input gradient as one product
  /// (a group chains those of projections of one input into one dx).
  public static func inputGradient(dy: UnsafePointer<Float>, rows n: Int, weight: UnsafePointer<Float>, outFeatures: Int,
                                   inFeatures: Int, into dx: UnsafeMutablePointer<Float>, accumulate: Bool = false) -> GemmProblem {
    GemmProblem(m: n, n: inFeatures, k: outFeatures, a: MatrixRef(dy, rowStride: outFeatures),
                b: MatrixRef(weight, rowStride: inFeatures), c: dx, ldc: inFeatures, accumulate: accumulate)
  }

  /// y[rows] = W[rows, cols] x[cols] (f32), rows split over the pool.
  public static func matvec(weight: UnsafePointer<Float>, rows: Int, cols: Int, x: UnsafePointer<Float>,
                            into y: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    WorkerPool.current.parallelRanges(rows, grain: Swift.max(1, 16384 / Swift.max(cols, 1))) { r in
      for i in r {
        let d = dot(weight + i * cols, x, cols)
        y[i] = accumulate ? y[i] + d : d
      }
    }
  }

  /// SIMD dot product of two float vectors.
  @inline(__always)
  public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc0 = V16(), acc1 = V16()
    var j = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while j + 32 <= n {
      acc0 = acc0.addingProduct(ra.loadUnaligned(fromByteOffset: j * 4, as: V16.self), rb.loadUnaligned(fromByteOffset: j * 4, as: V16.self))
      acc1 = acc1.addingProduct(ra.loadUnaligned(fromByteOffset: j * 4 + 64, as: V16.self), rb.loadUnaligned(fromByteOffset: j * 4 + 64, as: V16.self))
      j += 32
    }
    var s = (acc0 + acc1).sum()
    while j < n { s = s.addingProduct(a[j], b[j]); j += 1 }
    return s
  }
}
