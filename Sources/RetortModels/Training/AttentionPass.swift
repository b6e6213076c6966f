// Causal grouped-query self-attention over a [B, T] batch, forward and
// backward. Each (batch row, head) is one task on the worker pool; the
// GEMMs inside a task run on that thread, so every sum has a fixed order.
//
// Shapes: q [N, Q], k/v [N, KV] (rotated), probs [B, H, T, T] (zero above
// the diagonal), att [N, Q]; head h reads kv head h / (H / KH).

import RetortCompute

extension TrainableLlama {
  /// att = softmax(q k^T / sqrt(hd) + causal mask) v, saving the probabilities.
  func attentionForward(_ acts: LayerActs, batch: Int, seq: Int) {
    let c = config, hd = c.headDim, qd = c.heads * hd, kv = c.kvDim
    let group = c.heads / c.kvHeads, scale = 1 / Float(hd).squareRoot()
    let q = acts.q, k = acts.k, v = acts.v, probs = acts.probs, att = acts.att
    WorkerPool.current.parallelFor(batch * c.heads) { task in
      let b = task / c.heads, h = task % c.heads, kvh = h / group
      let s = probs + task * seq * seq
      let qb = UnsafePointer(q + b * seq * qd + h * hd)
      let kb = UnsafePointer(k + b * seq * kv + kvh * hd), vb = UnsafePointer(v + b * seq * kv + kvh * hd)
      Gemm.multiply(m: seq, n: seq, k: hd, a: MatrixRef(qb, rowStride: qd), b: MatrixRef(kb, rowStride: 1, colStride: kv),
                    c: s, ldc: seq)
      for i in 0..<seq {
        let row = s + i * seq
        for j in 0...i { row[j] *= scale }
        LlamaOps.softmax(row, i + 1)
        for j in (i + 1)..<seq { row[j] = 0 }
      }
      Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(s), rowStride: seq), b: MatrixRef(vb, rowStride: kv),
                    c: att + b * seq * qd + h * hd, ldc: qd)
    }
  }

  /// From datt [N, Q]: dq [N, Q], dk [N, KV], dv [N, KV] (overwritten).
  func attentionBackward(_ acts: LayerActs, bufs: PassBuffers) {
    let c = config, hd = c.headDim, qd = c.heads * hd, kv = c.kvDim
    let batch = bufs.batch, seq = bufs.seq
    let group = c.heads / c.kvHeads, scale = 1 / Float(hd).squareRoot()
    let q = acts.q, k = acts.k, v = acts.v, probs = acts.probs
    let datt = bufs.datt, dq = bufs.dq, dk = bufs.dk, dv = bufs.dv
    WorkerPool.current.parallelFor(batch * c.kvHeads) { task in
      let b = task / c.kvHeads, kvh = task % c.kvHeads
      let kb = UnsafePointer(k + b * seq * kv + kvh * hd), vb = UnsafePointer(v + b * seq * kv + kvh * hd)
      let dkb = dk + b * seq * kv + kvh * hd, dvb = dv + b * seq * kv + kvh * hd
      for t in 0..<seq {
        (dkb + t * kv).update(repeating: 0, count: hd)
        (dvb + t * kv).update(repeating: 0, count: hd)
      }
      let dp = UnsafeMutablePointer<Float>.allocate(capacity: seq * seq)
      defer { dp.deallocate() }
      for h in (kvh * group)..<((kvh + 1) * group) {
        let p = UnsafePointer(probs + (b * c.heads + h) * seq * seq)
        let dO = UnsafePointer(datt + b * seq * qd + h * hd)
        let qb = UnsafePointer(q + b * seq * qd + h * hd)
        // dP = dO V^T; dV += P^T dO.
        Gemm.multiply(m: seq, n: seq, k: hd, a: MatrixRef(dO, rowStride: qd), b: MatrixRef(vb, rowStride: 1, colStride: kv),
                      c: dp, ldc: seq)
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(p, rowStride: 1, colStride: seq), b: MatrixRef(dO, rowStride: qd),
                      c: dvb, ldc: kv, accumulate: true)
        // dS = P * (dP - rowsum(P dP)) * scale (zero above the diagonal).
        for i in 0..<seq {
          let pr = p + i * seq, dr = dp + i * seq
          var dot: Float = 0
          for j in 0...i { dot += pr[j] * dr[j] }
          for j in 0...i { dr[j] = pr[j] * (dr[j] - dot) * scale }
          for j in (i + 1)..<seq { dr[j] = 0 }
        }
        // dQ = dS K; dK += dS^T Q.
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(dp), rowStride: seq), b: MatrixRef(kb, rowStride: kv),
                      c: dq + b * seq * qd + h * hd, ldc: qd)
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(dp), rowStride: 1, colStride: seq),
                      b: MatrixRef(qb, rowStride: qd), c: dkb, ldc: kv, accumulate: true)
      }
    }
  }
}
