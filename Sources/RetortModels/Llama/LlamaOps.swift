// Element-wise steps of the Llama block: RMS norm, rotary embedding,
// SwiGLU and softmax. Plain loops the compiler vectorises; each is small
// next to the matrix products.

import Foundation

enum LlamaOps {
  /// out = x / rms(x) * w, for `n` rows of `dim`.
  static func rmsNorm(_ x: UnsafePointer<Float>, _ w: [Float], _ out: UnsafeMutablePointer<Float>, n: Int, dim: Int, eps: Float) {
    w.withUnsafeBufferPointer { wp in
      for r in 0..<n {
        let xr = x + r * dim, o = out + r * dim
        var ss: Float = 0
        for i in 0..<dim { ss += xr[i] * xr[i] }
        let scale = 1 / (ss / Float(dim) + eps).squareRoot()
        for i in 0..<dim { o[i] = xr[i] * scale * wp[i] }
      }
    }
  }

  /// Rotates adjacent pairs (2i, 2i+1) of the first `ropeDim` values of each
  /// head ("normal" RoPE, the layout GGUF's converted Llama Q/K weights use).
  static func rope(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, ropeDim: Int, position: Int, table: RopeTable) {
    let cs = table.row(position)
    for h in 0..<heads {
      let p = x + h * headDim
      for i in 0..<(ropeDim / 2) {
        let c = cs[2 * i], s = cs[2 * i + 1]
        let a = p[2 * i], b = p[2 * i + 1]
        p[2 * i] = a * c - b * s
        p[2 * i + 1] = a * s + b * c
      }
    }
  }

  /// g = silu(g) * u, in place.
  static func swiglu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
      let v = g[i]
      g[i] = v / (1 + exp(-v)) * u[i]
    }
  }

  /// In-place softmax of `n` values.
  static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
    var m = -Float.infinity
    for i in 0..<n { m = max(m, x[i]) }
    var s: Float = 0
    for i in 0..<n { let e = exp(x[i] - m); x[i] = e; s += e }
    let inv = 1 / s
    for i in 0..<n { x[i] *= inv }
  }
}

/// cos/sin of every position and frequency, computed once per model.
final class RopeTable: @unchecked Sendable {
  let half: Int
  let capacity: Int
  let v: UnsafeMutablePointer<Float>

  init(ropeDim: Int, base: Float, capacity: Int) {
    half = ropeDim / 2
    self.capacity = capacity
    v = .allocate(capacity: max(1, capacity * ropeDim))
    for p in 0..<capacity {
      for i in 0..<half {
        // As ggml: theta = p * base^(-2i/d), computed in float.
        let freq = pow(Double(base), -2 * Double(i) / Double(ropeDim))
        let theta = Double(p) * freq
        v[p * ropeDim + 2 * i] = Float(cos(theta))
        v[p * ropeDim + 2 * i + 1] = Float(sin(theta))
      }
    }
  }

  deinit { v.deallocate() }

  func row(_ p: Int) -> UnsafePointer<Float> { UnsafePointer(v + p * 2 * half) }
}
