// The forward pass: a batch of tokens at consecutive positions through every
// block, filling the KV cache. Products of fewer than four rows with quantized
// weights quantize their activations to 8 bits, as llama.cpp does (decoding's
// speed); longer batches, and `exact` calls (scoring: logprob, perplexity),
// use f32 activations, so a score does not depend on how the tokens were
// batched.

/// Scratch buffers for one forward call.
final class ForwardScratch {
  let x, xn, q, k, v, att, o, g, u: UnsafeMutablePointer<Float>
  let scores: UnsafeMutablePointer<Float>
  let n: Int

  init(n: Int, config c: LlamaConfig, kvLength: Int) {
    self.n = n
    func buf(_ count: Int) -> UnsafeMutablePointer<Float> { .allocate(capacity: max(1, count)) }
    x = buf(n * c.dim); xn = buf(n * c.dim); q = buf(n * c.heads * c.headDim)
    k = buf(n * c.kvDim); v = buf(n * c.kvDim); att = buf(n * c.heads * c.headDim)
    o = buf(n * c.dim); g = buf(n * c.ffnDim); u = buf(n * c.ffnDim)
    scores = buf(max(n, c.heads) * kvLength)
  }

  deinit {
    for p in [x, xn, q, k, v, att, o, g, u, scores] { p.deallocate() }
  }
}

extension LlamaModel {
  /// Runs `tokens` at positions `cache.count ..< cache.count + tokens.count`,
  /// appends them to the cache, and returns the logits of the batch rows in
  /// `outputs` (row-major, `vocabularySize` per row; default: the last row).
  /// `exact` runs every product in f32 (see the file comment).
  public func forward(_ tokens: [Int], cache: KVCache, outputs: Range<Int>? = nil, exact: Bool = false) throws -> [Float] {
    let c = config
    let n = tokens.count
    guard n > 0 else { throw ModelError("forward: no tokens") }
    let start = cache.count
    guard start + n <= cache.capacity else {
      throw ModelError("context is full: \(start) + \(n) tokens exceed the context size \(cache.capacity)")
    }
    for t in tokens where t < 0 || t >= c.vocabularySize {
      throw ModelError("token id \(t) is outside the vocabulary (0..<\(c.vocabularySize))")
    }
    let outs = outputs ?? (n - 1)..<n
    guard outs.lowerBound >= 0, outs.upperBound <= n else {
      throw ModelError("forward: output rows \(outs) are outside the batch of \(n)")
    }
    let rope = ropeTable(capacity: cache.capacity)
    let s = ForwardScratch(n: n, config: c, kvLength: start + n)
    for (i, t) in tokens.enumerated() { embedding.row(t, into: s.x + i * c.dim) }

    for (l, layer) in layers.enumerated() {
      LlamaOps.rmsNorm(s.x, layer.attnNorm, s.xn, n: n, dim: c.dim, eps: c.normEps)
      Weight.applyShared([(layer.wq, s.q), (layer.wk, s.k), (layer.wv, s.v)], s.xn, n: n, exact: exact)
      for i in 0..<n {
        LlamaOps.rope(s.q + i * c.heads * c.headDim, heads: c.heads, headDim: c.headDim, ropeDim: c.ropeDim, position: start + i, table: rope)
        LlamaOps.rope(s.k + i * c.kvDim, heads: c.kvHeads, headDim: c.headDim, ropeDim: c.ropeDim, position: start + i, table: rope)
        cache.key(l, start + i).update(from: s.k + i * c.kvDim, count: c.kvDim)
        cache.value(l, start + i).update(from: s.v + i * c.kvDim, count: c.kvDim)
      }
      attention(layer: l, cache: cache, start: start, n: n, scratch: s)
      layer.wo.apply(s.att, n: n, exact: exact, into: s.o)
      for i in 0..<(n * c.dim) { s.x[i] += s.o[i] }

      LlamaOps.rmsNorm(s.x, layer.ffnNorm, s.xn, n: n, dim: c.dim, eps: c.normEps)
      Weight.applyShared([(layer.gate, s.g), (layer.up, s.u)], s.xn, n: n, exact: exact)
      LlamaOps.swiglu(s.g, s.u, count: n * c.ffnDim)
      layer.down.apply(s.g, n: n, exact: exact, into: s.o)
      for i in 0..<(n * c.dim) { s.x[i] += s.o[i] }
    }
    cache.count = start + n

    let m = outs.count
    LlamaOps.rmsNorm(s.x + outs.lowerBound * c.dim, outputNorm, s.xn, n: m, dim: c.dim, eps: c.normEps)
    return [Float](unsafeUninitializedCapacity: m * c.vocabularySize) { buf, count in
      if let p = buf.baseAddress { output.apply(s.xn, n: m, exact: exact, into: p) }
      count = m * c.vocabularySize
    }
  }

  /// The rotary table, shared by all calls with a capacity at most its own.
  func ropeTable(capacity: Int) -> RopeTable {
    ropeLock.lock()
    defer { ropeLock.unlock() }
    if let t = ropeCache, t.capacity >= capacity { return t }
    let t = RopeTable(ropeDim: config.ropeDim, base: config.ropeBase, capacity: max(capacity, 2048))
    ropeCache = t
    return t
  }
}
