// y = W x for a quantized weight (Q4_0, Q4_1, Q8_0) and one activation
// vector: activations quantized once, rows split over the compute core's
// worker pool; each row's sum has a fixed order (thread-count independent).

import RetortCompute

enum QuantMatVec {
  static func apply(_ w: Weight, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
    let a = Q8Vector(capacity: w.cols)
    a.quantize(x)
    let type = w.type, nb = w.cols / 32, rb = w.rowBytes
    guard let base = w.data.baseAddress else { return }
    WorkerPool.shared.parallelRanges(w.rows, grain: 64) { r in
      for i in r { y[i] = QuantDotAVX2.dot(type, base + i * rb, nb, a) }
    }
  }
}
