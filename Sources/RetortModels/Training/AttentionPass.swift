// Causal grouped-query self-attention over a [B, T] batch, forward and
// backward, in blocks of query rows that skip the masked upper triangle. Each (batch row, head) is one task on the worker pool; the
// GEMMs inside a task run on that thread, so every sum has a fixed order.
//
// Shapes: q [N, Q], k/v [N, KV] (rotated), probs [B, H, T, T] (zero above
// the diagonal inside each block of query rows; not written past it), att [N, Q]; head h reads kv head h / (H / KH).

import RetortCompute

extension TrainableLlama {
  /// att = softmax(q k^T / sqrt(hd) + mask) v, saving the probabilities; the
  /// mask is causal and, for packed rows, keeps each token inside its example
  /// (keys from `starts[i]` to i).
  func attentionForward(_ acts: LayerActs, batch: Int, seq: Int, starts: UnsafePointer<Int32>) {
    let c = config, hd = c.headDim, qd = c.heads * hd, kv = c.kvDim
    let group = c.heads / c.kvHeads, scale = 1 / Float(hd).squareRoot()
    let q = acts.q, k = acts.k, v = acts.v, probs = acts.probs, att = acts.att
    let blk = attentionBlock
    WorkerPool.current.parallelFor(batch * c.heads) { task in
      let b = task / c.heads, h = task % c.heads, kvh = h / group
      let s = probs + task * seq * seq
      let kb = UnsafePointer(k + b * seq * kv + kvh * hd), vb = UnsafePointer(v + b * seq * kv + kvh * hd)
      for r0 in stride(from: 0, to: seq, by: blk) {
        let r1 = min(seq, r0 + blk)
        let qb = UnsafePointer(q + (b * seq + r0) * qd + h * hd)
        Gemm.multiply(m: r1 - r0, n: r1, k: hd, a: MatrixRef(qb, rowStride: qd), b: MatrixRef(kb, rowStride: 1, colStride: kv),
                      c: s + r0 * seq, ldc: seq)
        for i in r0..<r1 {
          let row = s + i * seq
          let first = min(i, max(0, Int(starts[b * seq + i])))
          for j in 0..<first { row[j] = 0 }
          for j in first...i { row[j] *= scale }
          Kernels.softmax(row + first, into: row + first, rows: 1, n: i + 1 - first)
          // Only the block's own columns past the diagonal are read again (by
          // P V here and the backward pass); columns from r1 on never are.
          for j in (i + 1)..<r1 { row[j] = 0 }
        }
        Gemm.multiply(m: r1 - r0, n: hd, k: r1, a: MatrixRef(UnsafePointer(s + r0 * seq), rowStride: seq),
                      b: MatrixRef(vb, rowStride: kv), c: att + (b * seq + r0) * qd + h * hd, ldc: qd)
      }
    }
  }

  /// From datt [N, Q]: dq [N, Q], dk [N, KV], dv [N, KV] (overwritten).
  func attentionBackward(_ acts: LayerActs, bufs: PassBuffers) {
    let c = config, hd = c.headDim, qd = c.heads * hd, kv = c.kvDim
    let batch = bufs.batch, seq = bufs.seq
    let group = c.heads / c.kvHeads, scale = 1 / Float(hd).squareRoot()
    let q = acts.q, k = acts.k, v = acts.v, probs = acts.probs
    let datt = bufs.datt, dq = bufs.dq, dk = bufs.dk, dv = bufs.dv
    let blk = attentionBlock
    WorkerPool.current.parallelFor(batch * c.kvHeads) { task in
      let b = task / c.kvHeads, kvh = task % c.kvHeads
      let kb = UnsafePointer(k + b * seq * kv + kvh * hd), vb = UnsafePointer(v + b * seq * kv + kvh * hd)
      let dkb = dk + b * seq * kv + kvh * hd, dvb = dv + b * seq * kv + kvh * hd
      for t in 0..<seq {
        (dkb + t * kv).update(repeating: 0, count: hd)
        (dvb + t * kv).update(repeating: 0, count: hd)
      }
      let dp = UnsafeMutablePointer<Float>.allocate(capacity: blk * seq)
      defer { dp.deallocate() }
      for h in (kvh * group)..<((kvh + 1) * group) {
        let p = UnsafePointer(probs + (b * c.heads + h) * seq * seq)
        for r0 in stride(from: 0, to: seq, by: blk) {
          let r1 = min(seq, r0 + blk), rows = r1 - r0
          let dO = UnsafePointer(datt + (b * seq + r0) * qd + h * hd)
          let qb = UnsafePointer(q + (b * seq + r0) * qd + h * hd)
          let pb = p + r0 * seq
          // dP = dO V^T; dV += P^T dO (columns 0..<r1 only: the rest of P is zero).
          Gemm.multiply(m: rows, n: r1, k: hd, a: MatrixRef(dO, rowStride: qd), b: MatrixRef(vb, rowStride: 1, colStride: kv),
                        c: dp, ldc: seq)
          Gemm.multiply(m: r1, n: hd, k: rows, a: MatrixRef(pb, rowStride: 1, colStride: seq), b: MatrixRef(dO, rowStride: qd),
                        c: dvb, ldc: kv, accumulate: true)
          // dS = P * (dP - rowsum(P dP)) * scale: zero wherever P is (masked), and right of the diagonal.
          for i in 0..<rows {
            let pr = pb + i * seq, dr = dp + i * seq, last = r0 + i
            var dot: Float = 0
            for j in 0...last { dot += pr[j] * dr[j] }
            for j in 0...last { dr[j] = pr[j] * (dr[j] - dot) * scale }
            for j in (last + 1)..<r1 { dr[j] = 0 }
          }
          // dQ = dS K; dK += dS^T Q.
          Gemm.multiply(m: rows, n: hd, k: r1, a: MatrixRef(UnsafePointer(dp), rowStride: seq), b: MatrixRef(kb, rowStride: kv),
                        c: dq + (b * seq + r0) * qd + h * hd, ldc: qd)
          Gemm.multiply(m: r1, n: hd, k: rows, a: MatrixRef(UnsafePointer(dp), rowStride: 1, colStride: seq),
                        b: MatrixRef(qb, rowStride: qd), c: dkb, ldc: kv, accumulate: true)
        }
      }
    }
  }
}
