// Causal grouped-query self-attention over a [B, T] batch, forward and
// backward. Each (batch row, head) is one task on the worker pool and its
// products run on that thread, so every sum has a fixed order. The products
// skip the masked upper triangle tile by tile (`GemmTriangle`): scores and
// their gradients are computed only up to the diagonal, and P V, dS K,
// P^T dO and dS^T Q read only the causal part of P and dS.
//
// Shapes: q [N, Q], k/v [N, KV] (rotated), probs [B, H, T, T] (zero above
// the diagonal up to the end of each row's GEMM row tile; not read past it),
// att [N, Q]; head h reads kv head h / (H / KH).

import RetortCompute

extension TrainableLlama {
  /// att = softmax(q k^T / sqrt(hd) + mask) v, saving the probabilities; the
  /// mask is causal and, for packed rows, keeps each token inside its example
  /// (keys from `starts[i]` to i).
  func attentionForward(_ acts: LayerActs, batch: Int, seq: Int, starts: UnsafePointer<Int32>) {
    let c = config, hd = c.headDim, qd = c.heads * hd, kv = c.kvDim
    let group = c.heads / c.kvHeads, scale = 1 / Float(hd).squareRoot()
    let q = acts.q, k = acts.k, v = acts.v, probs = acts.probs, att = acts.att
    WorkerPool.current.parallelFor(batch * c.heads) { task in
      let b = task / c.heads, h = task % c.heads, kvh = h / group
      let s = probs + task * seq * seq
      let kb = UnsafePointer(k + b * seq * kv + kvh * hd), vb = UnsafePointer(v + b * seq * kv + kvh * hd)
      let qb = UnsafePointer(q + b * seq * qd + h * hd)
      Gemm.multiply(m: seq, n: seq, k: hd, a: MatrixRef(qb, rowStride: qd), b: MatrixRef(kb, rowStride: 1, colStride: kv),
                    c: s, ldc: seq, triangle: .lowerC)
      Kernels.causalSoftmaxRows(s, seq: seq, ld: seq, first: starts + b * seq, scale: scale)
      Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(s), rowStride: seq), b: MatrixRef(vb, rowStride: kv),
                    c: att + b * seq * qd + h * hd, ldc: qd, triangle: .lowerA)
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
      let dp = UnsafeMutablePointer<Float>.allocate(capacity: seq * seq)
      defer { dp.deallocate() }
      for h in (kvh * group)..<((kvh + 1) * group) {
        // The group's first head writes dK and dV (zeros where it adds nothing), the others add.
        let first = h == kvh * group
        let p = UnsafePointer(probs + (b * c.heads + h) * seq * seq)
        let dO = UnsafePointer(datt + b * seq * qd + h * hd)
        let qb = UnsafePointer(q + b * seq * qd + h * hd)
        // dP = dO V^T (on and below the diagonal); dV += P^T dO.
        Gemm.multiply(m: seq, n: seq, k: hd, a: MatrixRef(dO, rowStride: qd), b: MatrixRef(vb, rowStride: 1, colStride: kv),
                      c: dp, ldc: seq, triangle: .lowerC)
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(p, rowStride: 1, colStride: seq), b: MatrixRef(dO, rowStride: qd),
                      c: dvb, ldc: kv, accumulate: !first, triangle: .upperA)
        // dS = P * (dP - rowsum(P dP)) * scale: zero wherever P is (masked), and right of the diagonal.
        Kernels.causalSoftmaxBackwardRows(p, dp, seq: seq, ld: seq, scale: scale)
        // dQ = dS K; dK += dS^T Q.
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(dp), rowStride: seq), b: MatrixRef(kb, rowStride: kv),
                      c: dq + b * seq * qd + h * hd, ldc: qd, triangle: .lowerA)
        Gemm.multiply(m: seq, n: hd, k: seq, a: MatrixRef(UnsafePointer(dp), rowStride: 1, colStride: seq),
                      b: MatrixRef(qb, rowStride: qd), c: dkb, ldc: kv, accumulate: !first, triangle: .upperA)
      }
    }
  }
}
