// Causal grouped-query attention over the KV cache. Batches of prompt
// tokens use the compute core's GEMM per head (scores = Q K^T, out = P V);
// single tokens use dot products, heads split over the worker pool.

import RetortCompute

extension LlamaModel {
  /// s.att[i] = softmax(q_i K^T / sqrt(d)) V over positions 0...start+i, per head.
  func attention(layer l: Int, cache: KVCache, start: Int, n: Int, scratch s: ForwardScratch) {
    let c = config
    let hd = c.headDim, group = c.heads / c.kvHeads, kvDim = c.kvDim
    let scale = 1 / Float(hd).squareRoot()
    let qDim = c.heads * hd
    let kvLen = start + n
    let keys = UnsafePointer(cache.key(l, 0)), values = UnsafePointer(cache.value(l, 0))
    let q = s.q, att = s.att, scores = s.scores

    if n >= 8 {
      for h in 0..<c.heads {
        let kvh = h / group
        Gemm.multiply(m: n, n: kvLen, k: hd,
                      a: MatrixRef(UnsafePointer(q + h * hd), rowStride: qDim),
                      b: MatrixRef(keys + kvh * hd, rowStride: 1, colStride: kvDim),
                      c: scores, ldc: kvLen)
        WorkerPool.shared.parallelRanges(n, grain: 16) { r in
          for i in r {
            let row = scores + i * kvLen
            let len = start + i + 1
            for j in 0..<len { row[j] *= scale }
            LlamaOps.softmax(row, len)
            for j in len..<kvLen { row[j] = 0 }
          }
        }
        Gemm.multiply(m: n, n: hd, k: kvLen,
                      a: MatrixRef(UnsafePointer(scores), rowStride: kvLen),
                      b: MatrixRef(values + kvh * hd, rowStride: kvDim),
                      c: att + h * hd, ldc: qDim)
      }
      return
    }

    for i in 0..<n {
      let len = start + i + 1
      // Short contexts are cheaper on one thread than a wake of the pool.
      let tasks = len * c.heads < 4096 ? 1 : c.heads
      WorkerPool.shared.parallelFor(tasks) { task in
        for h in (tasks == 1 ? 0..<c.heads : task..<(task + 1)) {
          let kvh = h / group
          let qh = UnsafePointer(q + i * qDim + h * hd)
          let sc = scores + h * kvLen
          for j in 0..<len { sc[j] = Linear.dot(qh, keys + j * kvDim + kvh * hd, hd) * scale }
          LlamaOps.softmax(sc, len)
          let out = att + i * qDim + h * hd
          out.update(repeating: 0, count: hd)
          for j in 0..<len {
            let v = values + j * kvDim + kvh * hd
            let p = sc[j]
            for e in 0..<hd { out[e] += p * v[e] }
          }
        }
      }
    }
  }
}
