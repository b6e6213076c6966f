// y = W x for quantized weights (Q4_0, Q4_1, Q8_0) and one activation
// vector: activations quantized once, rows split over the compute core's
// worker pool; each row's sum has a fixed order (thread-count independent).
// Several weights that share an input (Q, K, V; gate, up) run as one
// parallel job, so decoding wakes the pool fewer times per token.

import RetortCompute

enum QuantMatVec {
  /// y = W x.
  static func apply(_ w: Weight, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
    applyMany([(w, y)], x)
  }

  /// y_k = W_k x for every pair, all quantized weights with the same column count.
  static func applyMany(_ jobs: [(Weight, UnsafeMutablePointer<Float>)], _ x: UnsafePointer<Float>) {
    guard let cols = jobs.first?.0.cols else { return }
    let a = Q8Vector(capacity: cols)
    a.quantize(x)
    let nb = cols / 32
    var starts: [Int] = []
    var total = 0
    for (w, _) in jobs { starts.append(total); total += w.rows }
    let ws = jobs.map { $0.0 }, ys = jobs.map { $0.1 }
    WorkerPool.shared.parallelRanges(total, grain: 64) { r in
      var k = 0
      for g in r {
        while k + 1 < starts.count && g >= starts[k + 1] { k += 1 }
        let w = ws[k], i = g - starts[k]
        guard let base = w.data.baseAddress else { continue }
        ys[k][i] = QuantDotAVX2.dot(w.type, base + i * w.rowBytes, nb, a)
      }
    }
  }
}
