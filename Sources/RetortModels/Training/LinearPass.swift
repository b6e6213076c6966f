// Forward and backward of a block's linear projections, with their LoRA
// adapters if attached; projections of the same input run their products
// as one GEMM group. Base weights are f32 slices of the parameter buffer or
// frozen quantized matrices (forward on the fused quantized kernels,
// backward through weights dequantized on the fly).
//
// Shapes: x [N, in], y / dy [N, out], W [out, in], A [r, in], B [out, r],
// xa = scale * dropout(x) A^T [N, r].

import RetortCompute

extension TrainableLlama {
  /// y = x W^T (+ scale * dropout(x) A^T B^T) for projections of one input
  /// (q, k, v; or gate, up): the f32 base products run as one GEMM group.
  /// Saves LoRA's xa (and dropped x) in `acts`.
  func linearsForward(_ l: Int, _ outputs: [(LinearKind, UnsafeMutablePointer<Float>)], x: UnsafePointer<Float>, n: Int,
                      acts: LayerActs, step: Int, training: Bool) {
    var group: [GemmProblem] = []
    for (kind, y) in outputs {
      let slot = linears[l][kind.index]
      if let off = slot.offset {
        group.append(Linear.problem(x: x, rows: n, weight: values.pointer + off, outFeatures: slot.rows, inFeatures: slot.cols, into: y))
      } else if let q = slot.quant {
        q.matmul(x, rows: n, into: y)
      }
    }
    Gemm.multiply(group)
    for (kind, y) in outputs { loraForward(l, kind, x: x, n: n, y: y, acts: acts, step: step, training: training) }
  }

  /// One projection: y = x W^T (+ LoRA).
  func linearForward(_ l: Int, _ kind: LinearKind, x: UnsafePointer<Float>, n: Int, y: UnsafeMutablePointer<Float>,
                     acts: LayerActs, step: Int, training: Bool) {
    linearsForward(l, [(kind, y)], x: x, n: n, acts: acts, step: step, training: training)
  }

  /// y += scale * dropout(x) A^T B^T when `kind` has an adapter.
  func loraForward(_ l: Int, _ kind: LinearKind, x: UnsafePointer<Float>, n: Int, y: UnsafeMutablePointer<Float>,
                   acts: LayerActs, step: Int, training: Bool) {
    let slot = linears[l][kind.index]
    guard let lora, let (a, b) = lora.pair(l, kind), let xa = acts.loraXA[kind.index] else { return }
    let r = lora.options.rank, p = lora.options.dropout
    var input = x
    if training, p > 0, let xd = acts.loraXD[kind.index] {
      let count = n * slot.cols, keep = 1 / (1 - p)
      let rng = dropoutRNG(step: step, layer: l, kind: kind)
      WorkerPool.current.parallelRanges(count, grain: 16384) { rg in
        for i in rg { xd[i] = rng.uniform(i) >= p ? x[i] * keep : 0 }
      }
      input = UnsafePointer(xd)
    }
    Linear.forward(x: input, rows: n, weight: a, outFeatures: r, inFeatures: slot.cols, into: xa)
    let s = lora.scale
    for i in 0..<(n * r) { xa[i] *= s }
    Linear.forward(x: xa, rows: n, weight: b, outFeatures: slot.rows, inFeatures: r, into: y, accumulate: true)
  }

  /// Dropout masks: counter-based, so the same seed and step give the same mask.
  func dropoutRNG(step: Int, layer: Int, kind: LinearKind) -> CounterRNG {
    let seed = lora?.options.seed ?? 0
    return CounterRNG(seed: UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9 &+ UInt64(((step &* 4099 &+ layer) &* 8 &+ kind.index)))
  }

  /// Backward of projections of one input x (q, k, v; or gate, up): their
  /// f32 weight gradients as one GEMM group (x is packed once), then
  /// dx = sum of dy W (+ LoRA paths), the first written, the rest added.
  func linearsBackward(_ l: Int, _ items: [(LinearKind, UnsafePointer<Float>)], x: UnsafePointer<Float>, n: Int,
                       dx: UnsafeMutablePointer<Float>, acts: LayerActs, bufs: PassBuffers, grads: Gradients, step: Int) {
    var group: [GemmProblem] = []
    for (kind, dy) in items {
      let slot = linears[l][kind.index]
      if let off = slot.offset, let gw = grads.model(off) {
        group.append(Linear.weightGradient(dy: dy, x: x, rows: n, outFeatures: slot.rows, inFeatures: slot.cols, into: gw))
      }
    }
    Gemm.multiply(group)
    // f32 bases without adapters: dx = sum of dy W as one chained GEMM run.
    let offsets = items.compactMap { linears[l][$0.0.index].offset }
    if items.count > 1, lora == nil, offsets.count == items.count {
      Gemm.multiply(zip(items, offsets).enumerated().map { i, e in
        let slot = linears[l][e.0.0.index]
        return Linear.inputGradient(dy: e.0.1, rows: n, weight: values.pointer + e.1, outFeatures: slot.rows,
                                    inFeatures: slot.cols, into: dx, accumulate: i > 0)
      })
      return
    }
    for (i, (kind, dy)) in items.enumerated() {
      linearInputBackward(l, kind, x: x, dy: dy, n: n, dx: dx, accumulate: i > 0, acts: acts, bufs: bufs, grads: grads, step: step)
    }
  }

  /// One projection's backward: dW into `grads`, then dx (= or +=) dy W (+ LoRA).
  func linearBackward(_ l: Int, _ kind: LinearKind, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, n: Int,
                      dx: UnsafeMutablePointer<Float>, acts: LayerActs, bufs: PassBuffers, grads: Gradients, step: Int) {
    linearsBackward(l, [(kind, dy)], x: x, n: n, dx: dx, acts: acts, bufs: bufs, grads: grads, step: step)
  }

  /// dx (= or +=) dy W (+ LoRA path); accumulates dA, dB into `grads` (the
  /// base weight's gradient is `linearsBackward`'s).
  func linearInputBackward(_ l: Int, _ kind: LinearKind, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, n: Int,
                           dx: UnsafeMutablePointer<Float>, accumulate: Bool, acts: LayerActs, bufs: PassBuffers,
                           grads: Gradients, step: Int) {
    let slot = linears[l][kind.index]
    let rows = slot.rows, cols = slot.cols
    var w: UnsafePointer<Float>? = nil
    if let off = slot.offset {
      w = UnsafePointer(values.pointer + off)
    } else if let q = slot.quant, let scratch = bufs.dequant {
      WorkerPool.current.parallelRanges(rows, grain: 32) { r in
        for i in r { try? q.dequantizeRow(i, into: scratch + i * cols) }
      }
      w = UnsafePointer(scratch)
    }
    if let w {
      Gemm.multiply([Linear.inputGradient(dy: dy, rows: n, weight: w, outFeatures: rows, inFeatures: cols, into: dx,
                                          accumulate: accumulate)])
    } else if !accumulate {
      dx.update(repeating: 0, count: n * cols)
    }
    guard let lora, let (a, b) = lora.pair(l, kind), let xa = acts.loraXA[kind.index],
          let slots = lora.slots[l][kind.index] else { return }
    let r = lora.options.rank, s = lora.scale, p = lora.options.dropout
    let dxa = bufs.dxa
    let input = acts.loraXD[kind.index].map { UnsafePointer($0) } ?? x
    if let gl = grads.lora {
      // dB += dy^T xa  [out, r]
      Gemm.multiply(m: rows, n: r, k: n, a: MatrixRef(dy, rowStride: 1, colStride: rows), b: MatrixRef(xa, rowStride: r),
                    c: gl.pointer + slots.b, ldc: r, accumulate: true)
    }
    // dxa = scale * dy B  [N, r]
    Gemm.multiply(m: n, n: r, k: rows, a: MatrixRef(dy, rowStride: rows), b: MatrixRef(b, rowStride: r), c: dxa, ldc: r)
    for i in 0..<(n * r) { dxa[i] *= s }
    if let gl = grads.lora {
      // dA += dxa^T input  [r, in]
      Gemm.multiply(m: r, n: cols, k: n, a: MatrixRef(dxa, rowStride: 1, colStride: r), b: MatrixRef(input, rowStride: cols),
                    c: gl.pointer + slots.a, ldc: cols, accumulate: true)
    }
    if acts.loraXD[kind.index] != nil, p > 0 {
      let tmp = bufs.dtmp, keep = 1 / (1 - p)
      Gemm.multiply(m: n, n: cols, k: r, a: MatrixRef(dxa, rowStride: r), b: MatrixRef(a, rowStride: cols), c: tmp, ldc: cols)
      let rng = dropoutRNG(step: step, layer: l, kind: kind)
      WorkerPool.current.parallelRanges(n * cols, grain: 16384) { rg in
        for i in rg where rng.uniform(i) >= p { dx[i] += tmp[i] * keep }
      }
    } else {
      Gemm.multiply(m: n, n: cols, k: r, a: MatrixRef(dxa, rowStride: r), b: MatrixRef(a, rowStride: cols),
                    c: dx, ldc: cols, accumulate: true)
    }
  }
}
