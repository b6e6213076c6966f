// AdamW (Loshchilov & Hutter) over flat f32 buffers, with global-norm
// gradient clipping. Element-wise and split over the worker pool; the norm is
// summed in a fixed order, so steps are bit-identical for a given thread count.

import Foundation
import RetortCompute

/// AdamW state for one flat parameter buffer.
final class AdamW {
  let beta1: Float, beta2: Float, eps: Float
  let m: FloatBuffer, v: FloatBuffer
  /// Per-element weight-decay switch ranges: (offset, count, decay).
  let groups: [(offset: Int, count: Int, decay: Bool)]

  init(count: Int, params: [ParamInfo], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
    self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
    m = FloatBuffer(count: count)
    v = FloatBuffer(count: count)
    m.pointer.update(repeating: 0, count: count)
    v.pointer.update(repeating: 0, count: count)
    groups = params.map { ($0.offset, $0.count, $0.decay) }
  }

  /// One update of `values` from `grads` at 1-based step `t`.
  func step(values: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>, lr: Float, weightDecay: Float, t: Int) {
    let b1 = beta1, b2 = beta2, e = eps
    let c1 = 1 - Float(pow(Double(b1), Double(t))), c2 = 1 - Float(pow(Double(b2), Double(t)))
    let mp = m.pointer, vp = v.pointer
    for g in groups {
      let wd = g.decay ? weightDecay : 0
      let base = g.offset
      WorkerPool.current.parallelRanges(g.count, grain: 8192) { r in
        for j in r {
          let i = base + j
          let gr = grads[i]
          let mi = b1 * mp[i] + (1 - b1) * gr
          let vi = b2 * vp[i] + (1 - b2) * gr * gr
          mp[i] = mi
          vp[i] = vi
          let update = (mi / c1) / ((vi / c2).squareRoot() + e)
          values[i] -= lr * (update + wd * values[i])
        }
      }
    }
  }

  /// The L2 norm of `grads[0..<count]`, summed in fixed-size chunks in order.
  static func norm(_ grads: UnsafePointer<Float>, count: Int) -> Double {
    let chunk = 16384
    let chunks = (count + chunk - 1) / chunk
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: max(1, chunks))
    defer { partial.deallocate() }
    WorkerPool.current.parallelFor(chunks) { c in
      var s: Double = 0
      let lo = c * chunk, hi = min(count, lo + chunk)
      for i in lo..<hi { s += Double(grads[i]) * Double(grads[i]) }
      partial[c] = s
    }
    var total: Double = 0
    for c in 0..<chunks { total += partial[c] }
    return total.squareRoot()
  }

  /// Multiplies `grads[0..<count]` by `factor`.
  static func scale(_ grads: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
    WorkerPool.current.parallelRanges(count, grain: 16384) { r in
      for i in r { grads[i] *= factor }
    }
  }
}
