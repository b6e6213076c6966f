// Backward kernels of the fused model layers (training): the gradients of
// `Kernels.rmsNorm`, `Kernels.softmaxRow` and `Kernels.siluMultiply`, SIMD,
// with every sum in a fixed order.

extension Kernels {
  /// Backward of `rmsNorm` with saved `rstd`: dx (= or +=) rstd * (dy w - xhat mean(dy w xhat)),
  /// xhat = x rstd; dw += sum over rows of dy * xhat (when given). Rows are
  /// split into fixed chunks of 32 whatever the thread count; each chunk sums
  /// its rows' dw terms beside their dx, and the chunk sums are added in
  /// chunk order, so every sum keeps a fixed order.
  public static func rmsNormBackward(dy: UnsafePointer<Float>, x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                                     rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                     dWeight dw: UnsafeMutablePointer<Float>?, rows: Int, n: Int, accumulate: Bool) {
    let chunk = 32, chunks = (rows + chunk - 1) / chunk
    let partial: UnsafeMutablePointer<Float>? = dw == nil ? nil : Memory.tryAllocate(chunks * n)
    defer { if let partial { Memory.release(partial, count: chunks * n) } }
    let ry = UnsafeRawPointer(dy), rx = UnsafeRawPointer(x), rw = UnsafeRawPointer(w), ro = UnsafeMutableRawPointer(dx)
    WorkerPool.current.parallelFor(chunks) { ci in
      let pw = partial.map { $0 + ci * n }
      pw?.update(repeating: 0, count: n)
      let rp = pw.map { UnsafeMutableRawPointer($0) }
      for i in (ci * chunk)..<Swift.min(rows, ci * chunk + chunk) {
        let s = rstd[i], base = i * n * 4
        var acc = V16(), tail: Float = 0
        var j = 0
        while j + 16 <= n {
          acc = acc.addingProduct(ry.loadUnaligned(fromByteOffset: base + j * 4, as: V16.self)
                                    * rw.loadUnaligned(fromByteOffset: j * 4, as: V16.self),
                                  rx.loadUnaligned(fromByteOffset: base + j * 4, as: V16.self))
          j += 16
        }
        while j < n { tail += dy[i * n + j] * w[j] * x[i * n + j]; j += 1 }
        let m = (acc.sum() + tail) * s * s / Float(n)
        let sv = V16(repeating: s), mv = V16(repeating: m)
        j = 0
        while j + 16 <= n {
          let g0 = ry.loadUnaligned(fromByteOffset: base + j * 4, as: V16.self)
          let xv = rx.loadUnaligned(fromByteOffset: base + j * 4, as: V16.self)
          var v = sv * (g0 * rw.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - xv * mv)
          if accumulate { v += ro.loadUnaligned(fromByteOffset: base + j * 4, as: V16.self) }
          ro.storeBytes(of: v, toByteOffset: base + j * 4, as: V16.self)
          if let rp {
            rp.storeBytes(of: rp.loadUnaligned(fromByteOffset: j * 4, as: V16.self).addingProduct(g0, xv * sv),
                          toByteOffset: j * 4, as: V16.self)
          }
          j += 16
        }
        while j < n {
          let v = s * (dy[i * n + j] * w[j] - x[i * n + j] * m)
          dx[i * n + j] = accumulate ? dx[i * n + j] + v : v
          if let pw { pw[j] += dy[i * n + j] * (x[i * n + j] * s) }
          j += 1
        }
      }
    }
    guard let dw, let partial else { return }
    for ci in 0..<chunks { Kernels.add(dw, partial + ci * n, into: dw, count: n) }
  }

  /// Backward of `softmaxRow(x, scale:)` for one row, in place: with p the
  /// softmax and g = dL/dp, g becomes dL/dx = scale * p * (g - sum(p * g)).
  public static func softmaxBackwardRow(_ p: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, n: Int, scale: Float) {
    let rp = UnsafeRawPointer(p), rg = UnsafeMutableRawPointer(g)
    var acc = V16(), tail: Float = 0
    var j = 0
    while j + 16 <= n {
      acc = acc.addingProduct(rp.loadUnaligned(fromByteOffset: j * 4, as: V16.self), rg.loadUnaligned(fromByteOffset: j * 4, as: V16.self))
      j += 16
    }
    while j < n { tail += p[j] * g[j]; j += 1 }
    let dot = acc.sum() + tail
    let dv = V16(repeating: dot), sv = V16(repeating: scale)
    j = 0
    while j + 16 <= n {
      let pv = rp.loadUnaligned(fromByteOffset: j * 4, as: V16.self)
      rg.storeBytes(of: pv * (rg.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - dv) * sv, toByteOffset: j * 4, as: V16.self)
      j += 16
    }
    while j < n { g[j] = p[j] * (g[j] - dot) * scale; j += 1 }
  }

  /// Backward of `siluMultiply`: dGate = dOut * up * silu'(gate), dUp = dOut * silu(gate).
  public static func siluMultiplyBackward(dOut: UnsafePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>,
                                          dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, count: Int) {
    @inline(__always) func step(_ dh: V16, _ g: V16, _ u: V16) -> (V16, V16) {
      let sig = vsigmoid(g)
      let dg: V16 = dh * u * sig * (1 + g * (1 - sig))
      return (dg, dh * (g * sig))
    }
    WorkerPool.current.parallelRanges(count, grain: 1 << 14) { r in
      var i = r.lowerBound
      let rd = UnsafeRawPointer(dOut), rg = UnsafeRawPointer(gate), ru = UnsafeRawPointer(up)
      let og = UnsafeMutableRawPointer(dGate), ou = UnsafeMutableRawPointer(dUp)
      while i + 16 <= r.upperBound {
        let (dg, du) = step(rd.loadUnaligned(fromByteOffset: i * 4, as: V16.self),
                            rg.loadUnaligned(fromByteOffset: i * 4, as: V16.self),
                            ru.loadUnaligned(fromByteOffset: i * 4, as: V16.self))
        og.storeBytes(of: dg, toByteOffset: i * 4, as: V16.self)
        ou.storeBytes(of: du, toByteOffset: i * 4, as: V16.self)
        i += 16
      }
      if i < r.upperBound {
        var dh = V16(), g = V16(), u = V16()
        for j in 0..<(r.upperBound - i) { dh[j] = dOut[i + j]; g[j] = gate[i + j]; u[j] = up[i + j] }
        let (dg, du) = step(dh, g, u)
        for j in 0..<(r.upperBound - i) { dGate[i + j] = dg[j]; dUp[i + j] = du[j] }
      }
    }
  }
}
