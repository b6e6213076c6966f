// Causal grouped-query attention over the KV cache.

extension LlamaModel {
  /// s.att[i] = softmax(q_i K^T / sqrt(d)) V over positions 0...start+i, per head.
  func attention(layer l: Int, cache: KVCache, start: Int, n: Int, scratch s: ForwardScratch) {
    let c = config
    let hd = c.headDim, group = c.heads / c.kvHeads
    let scale = 1 / Float(hd).squareRoot()
    let qDim = c.heads * hd
    for i in 0..<n {
      let len = start + i + 1
      for h in 0..<c.heads {
        let kvh = h / group
        let q = s.q + i * qDim + h * hd
        let sc = s.scores
        for j in 0..<len {
          let k = cache.key(l, j) + kvh * hd
          var d: Float = 0
          for e in 0..<hd { d += q[e] * k[e] }
          sc[j] = d * scale
        }
        LlamaOps.softmax(sc, len)
        let out = s.att + i * qDim + h * hd
        out.update(repeating: 0, count: hd)
        for j in 0..<len {
          let v = cache.value(l, j) + kvh * hd
          let p = sc[j]
          for e in 0..<hd { out[e] += p * v[e] }
        }
      }
    }
  }
}
