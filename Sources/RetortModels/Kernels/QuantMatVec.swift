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
    // Plain values only inside the row loop (no reference counting per row).
    let count = jobs.count
    let bases = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: count)
    let outs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: count)
    let starts = UnsafeMutablePointer<Int>.allocate(capacity: count + 1)
    let strides = UnsafeMutablePointer<Int>.allocate(capacity: count)
    let types = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
    defer { bases.deallocate(); outs.deallocate(); starts.deallocate(); strides.deallocate(); types.deallocate() }
    var total = 0
    for (k, (w, y)) in jobs.enumerated() {
      bases[k] = w.data.baseAddress
      outs[k] = y
      starts[k] = total
      strides[k] = w.rowBytes
      types[k] = w.type.rawValue
      total += w.rows
    }
    starts[count] = total
    WorkerPool.shared.parallelRanges(total, grain: 64) { r in
      var k = 0
      while starts[k + 1] <= r.lowerBound { k += 1 }
      var g = r.lowerBound
      while g < r.upperBound {
        let end = min(r.upperBound, starts[k + 1])
        if let base = bases[k] {
          let type = types[k], stride = strides[k], y = outs[k], s = starts[k]
          for i in (g - s)..<(end - s) { y[i] = QuantDotAVX2.dot(type, base + i * stride, nb, a) }
        }
        g = end
        k += 1
      }
    }
  }
}
