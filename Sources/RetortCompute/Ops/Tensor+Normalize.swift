// softmax, log-softmax, RMS norm and layer norm (over the last axis for
// norms; any axis for softmax), with gradients.

extension Tensor {
  /// Moves `axis` last (contiguous) and returns the inverse permutation.
  private func withAxisLast(_ axis: Int, op: String) throws -> (Tensor, [Int]?) {
    let a = try normalizedAxis(axis, op: op)
    if a == rank - 1 || rank <= 1 { return (contiguous(), nil) }
    var order = Array(0..<rank)
    order.remove(at: a); order.append(a)
    var inv = [Int](repeating: 0, count: rank)
    for (i, d) in order.enumerated() { inv[d] = i }
    return (try permuted(order).contiguous(), inv)
  }

  /// Softmax along `axis` (default last).
  public func softmax(axis: Int = -1) throws -> Tensor {
    let (x, inv) = try Tensor.noGrad { try withAxisLast(axis, op: "softmax") }
    if let inv { return try permuted(try Tensor.noGrad { try x.permutedOrder(inv) }).softmax(axis: -1).permuted(inv) }
    let n = Swift.max(1, x.shape.last ?? 1)
    let out = try Tensor(uninitialized: x.shape, what: "softmax")
    if count > 0 { RowKernels.softmax(x.pointer, out.mutablePointer, rows: count / n, n: n) }
    let y = out.detached()
    out.record("softmax", [self]) { g in
      let gy = try g * y
      return [try gy - y * gy.sum(axis: -1, keepdims: true)]
    }
    return out
  }

  /// log(softmax(x)) along `axis`, computed stably.
  public func logSoftmax(axis: Int = -1) throws -> Tensor {
    let (x, inv) = try Tensor.noGrad { try withAxisLast(axis, op: "log_softmax") }
    if let inv { return try permuted(try Tensor.noGrad { try x.permutedOrder(inv) }).logSoftmax(axis: -1).permuted(inv) }
    let n = Swift.max(1, x.shape.last ?? 1)
    let out = try Tensor(uninitialized: x.shape, what: "log_softmax")
    if count > 0 { RowKernels.logSoftmax(x.pointer, out.mutablePointer, rows: count / n, n: n) }
    let y = out.detached()
    out.record("log_softmax", [self]) { g in
      [try g - y.exp() * g.sum(axis: -1, keepdims: true)]
    }
    return out
  }

  /// The permutation that moves `axis` last (helper for softmax on other axes).
  fileprivate func permutedOrder(_ inv: [Int]) throws -> [Int] {
    var order = [Int](repeating: 0, count: inv.count)
    for (d, i) in inv.enumerated() { order[i] = d }
    return order
  }

  private func checkNormWeight(_ w: Tensor?, op: String, name: String = "weight") throws {
    guard rank >= 1 else { throw ComputeError("\(op): input must have at least 1 dimension") }
    if let w, w.shape != [shape[rank - 1]] {
      throw ComputeError("\(op): \(name) of shape \(shapeString(w.shape)) does not match the last dimension \(shape[rank - 1]) of input \(shapeString(shape))")
    }
  }

  /// RMS norm over the last axis: x / sqrt(mean(x^2) + eps) * weight.
  public func rmsNorm(weight: Tensor?, eps: Float = 1e-5) throws -> Tensor {
    try checkNormWeight(weight, op: "rms_norm")
    guard eps >= 0, eps.isFinite else { throw ComputeError("rms_norm: eps must be a finite number >= 0, got \(eps)") }
    let n = shape[rank - 1], rows = n == 0 ? 0 : count / n
    let x = contiguous()
    let wc = weight?.contiguous()
    defer { withExtendedLifetime((x, wc)) {} }  // raw pointers into them are used below
    let out = try Tensor(uninitialized: shape, what: "rms_norm")
    var rs = shape; rs[rank - 1] = 1
    let rstd = try Tensor(uninitialized: rs, what: "rms_norm")
    if rows > 0 { RowKernels.rmsNorm(x.pointer, wc?.pointer, out.mutablePointer, rstd.mutablePointer, rows: rows, n: n, eps: eps) }
    let xd = x.detached()
    out.record("rms_norm", weight.map { [self, $0] } ?? [self]) { g in
      let xhat = try xd * rstd
      let dxhat = try wc.map { try g * $0.detached() } ?? g
      let dx = try rstd * (dxhat - xhat * (dxhat * xhat).mean(axis: -1, keepdims: true))
      guard let w = weight else { return [dx] }
      return [dx, w.requiresGrad ? try (g * xhat).sum(to: [n]) : nil]
    }
    return out
  }

  /// Layer norm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias.
  public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws -> Tensor {
    try checkNormWeight(weight, op: "layer_norm")
    try checkNormWeight(bias, op: "layer_norm", name: "bias")
    guard eps >= 0, eps.isFinite else { throw ComputeError("layer_norm: eps must be a finite number >= 0, got \(eps)") }
    let n = shape[rank - 1], rows = n == 0 ? 0 : count / n
    let x = contiguous()
    let wc = weight?.contiguous(), bc = bias?.contiguous()
    defer { withExtendedLifetime((x, wc, bc)) {} }  // raw pointers into them are used below
    let out = try Tensor(uninitialized: shape, what: "layer_norm")
    var rs = shape; rs[rank - 1] = 1
    let mean = try Tensor(uninitialized: rs, what: "layer_norm"), rstd = try Tensor(uninitialized: rs, what: "layer_norm")
    if rows > 0 {
      RowKernels.layerNorm(x.pointer, wc?.pointer, bc?.pointer, out.mutablePointer, mean.mutablePointer, rstd.mutablePointer,
                           rows: rows, n: n, eps: eps)
    }
    let xd = x.detached()
    var inputs = [self]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    out.record("layer_norm", inputs) { g in
      let xhat = try (xd - mean) * rstd
      let dxhat = try wc.map { try g * $0.detached() } ?? g
      let dx = try rstd * (dxhat - dxhat.mean(axis: -1, keepdims: true) - xhat * (dxhat * xhat).mean(axis: -1, keepdims: true))
      var res: [Tensor?] = [dx]
      if weight != nil { res.append(try (g * xhat).sum(to: [n])) }
      if bias != nil { res.append(try g.sum(to: [n])) }
      return res
    }
    return out
  }
}
