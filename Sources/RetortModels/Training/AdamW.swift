// AdamW (Loshchilov & Hutter) over flat f32 buffers, with global-norm
// gradient clipping folded into the step as a gradient scale. Element-wise
// and split over the worker pool; the norm is summed in a fixed order, so
// steps are bit-identical for any thread count.

import Foundation
import RetortCompute

/// AdamW state for one flat parameter buffer.
final class AdamW {
  let beta1: Float, beta2: Float, eps: Float
  let m: FloatBuffer, v: FloatBuffer
  /// Runs of adjacent tensors with the same weight-decay switch: (offset, count, decay).
  let runs: [(offset: Int, count: Int, decay: Bool)]

  init(count: Int, params: [ParamInfo], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
    self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
    m = FloatBuffer(count: count)
    v = FloatBuffer(count: count)
    m.pointer.update(repeating: 0, count: count)
    v.pointer.update(repeating: 0, count: count)
    var runs: [(offset: Int, count: Int, decay: Bool)] = []
    for p in params.sorted(by: { $0.offset < $1.offset }) {
      if let last = runs.last, last.decay == p.decay, last.offset + last.count == p.offset {
        runs[runs.count - 1].count += p.count
      } else {
        runs.append((p.offset, p.count, p.decay))
      }
    }
    self.runs = runs
  }

  /// One update of `values` from `grads * gradScale` (the clipping factor)
  /// at 1-based step `t`: the compute core's fused SIMD step over each run of
  /// tensors that share a weight-decay setting.
  func step(values: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>, lr: Float, weightDecay: Float, t: Int,
            gradScale: Float = 1) {
    for g in runs {
      let c = AdamWConfig(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: g.decay ? weightDecay : 0)
      Kernels.adamW(param: values + g.offset, grad: grads + g.offset, m: m.pointer + g.offset, v: v.pointer + g.offset,
                    count: g.count, step: t, config: c, gradScale: gradScale)
    }
  }
}
