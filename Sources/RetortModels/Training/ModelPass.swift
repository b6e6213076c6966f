// The whole-model training pass: embedding, every block, final norm,
// (tied) output projection and masked cross-entropy forward; then the
// backward pass in reverse, accumulating into `Gradients`.
//
// Shapes: tokens/targets [N]; residual stream [N, D]; logits [N, V].

import RetortCompute

extension TrainableLlama {
  /// Runs `bufs.tokens` through the model and scores `bufs.targets` (-1 = no
  /// loss). With `grads`, also back-propagates d(sum of losses * lossScale).
  /// - Returns: the sum of the token losses and the number of scored tokens.
  func pass(_ bufs: PassBuffers, grads: Gradients?, lossScale: Float, step: Int) -> (loss: Double, count: Int) {
    let c = config, n = bufs.n, d = c.dim
    let training = grads != nil
    let first = bufs.layers[0].xIn
    for i in 0..<n { first.advanced(by: i * d).update(from: embedding + Int(bufs.tokens[i]) * d, count: d) }

    for l in 0..<c.layers { layerForward(l, bufs, step: step, training: training) }
    let outNorm = pointer("output_norm.weight") ?? embedding
    TrainKernels.rmsNormForward(bufs.xOut, outNorm, bufs.xf, rstd: bufs.rstdF, n: n, dim: d, eps: c.normEps)
    let v = c.vocabularySize
    // Logits only for the positions that carry a loss (instruction tuning masks
    // the prompt), gathered into the first `scored` rows; each row's logits
    // and loss are the same bits as in a full pass.
    var ns = 0
    for i in 0..<n where bufs.targets[i] >= 0 {
      bufs.scoredRows[ns] = Int32(i)
      bufs.scoredTargets[ns] = bufs.targets[i]
      ns += 1
    }
    if bufs.allLogits { ns = n }
    bufs.scored = ns
    let compact = ns < n
    if compact { for r in 0..<ns { (bufs.scoredX + r * d).update(from: bufs.xf + Int(bufs.scoredRows[r]) * d, count: d) } }
    if ns > 0 {
      Linear.forward(x: compact ? bufs.scoredX : bufs.xf, rows: ns, weight: outputWeight, outFeatures: v, inFeatures: d,
                     into: bufs.logits)
    }
    TrainKernels.crossEntropy(bufs.logits, targets: compact ? bufs.scoredTargets : bufs.targets, n: ns, vocab: v,
                              lossScale: lossScale, grad: training, losses: compact ? bufs.scoredLosses : bufs.losses)
    if compact {
      bufs.losses.update(repeating: 0, count: n)
      for r in 0..<ns { bufs.losses[Int(bufs.scoredRows[r])] = bufs.scoredLosses[r] }
    }
    var total: Double = 0
    var count = 0
    for i in 0..<n where bufs.targets[i] >= 0 {
      total += Double(bufs.losses[i])
      count += 1
    }
    if let grads { backward(bufs, grads: grads, step: step) }
    return (total, count)
  }

  /// Block `l`: reads `bufs.layers[l].xIn`, writes the next layer's input
  /// (or `bufs.xOut`) and the activations the backward pass needs.
  func layerForward(_ l: Int, _ bufs: PassBuffers, step: Int, training: Bool) {
    let c = config, n = bufs.n, d = c.dim, seq = bufs.seq
    let a = bufs.layers[l]
    let out = l + 1 < c.layers ? bufs.layers[l + 1].xIn : bufs.xOut
    TrainKernels.rmsNormForward(a.xIn, norm(l, "attn_norm"), a.xn1, rstd: a.rstd1, n: n, dim: d, eps: c.normEps)
    linearsForward(l, [(.q, a.q), (.k, a.k), (.v, a.v)], x: a.xn1, n: n, acts: a, step: step, training: training)
    TrainKernels.rope(a.q, n: n, seq: seq, heads: c.heads, headDim: c.headDim, ropeDim: c.ropeDim, table: bufs.rope, starts: bufs.starts, inverse: false)
    TrainKernels.rope(a.k, n: n, seq: seq, heads: c.kvHeads, headDim: c.headDim, ropeDim: c.ropeDim, table: bufs.rope, starts: bufs.starts, inverse: false)
    attentionForward(a, batch: bufs.batch, seq: seq, starts: bufs.starts)
    linearForward(l, .o, x: a.att, n: n, y: a.mid, acts: a, step: step, training: training)
    Kernels.add(a.mid, a.xIn, into: a.mid, count: n * d)
    TrainKernels.rmsNormForward(a.mid, norm(l, "ffn_norm"), a.xn2, rstd: a.rstd2, n: n, dim: d, eps: c.normEps)
    linearsForward(l, [(.gate, a.g), (.up, a.u)], x: a.xn2, n: n, acts: a, step: step, training: training)
    TrainKernels.swigluForward(a.g, a.u, a.h, count: n * c.ffnDim)
    linearForward(l, .down, x: a.h, n: n, y: out, acts: a, step: step, training: training)
    Kernels.add(out, a.mid, into: out, count: n * d)
  }

  /// The norm scale `blk.l.<name>.weight`.
  func norm(_ l: Int, _ name: String) -> UnsafeMutablePointer<Float> {
    pointer("blk.\(l).\(name).weight") ?? embedding
  }

  /// Gradient slot of tensor `name` (nil when the base is frozen).
  func grad(_ grads: Gradients, _ name: String) -> UnsafeMutablePointer<Float>? {
    // The adapters' trained copy of an embedding (LoRA with trainEmbeddings) takes its gradient.
    if let lora, let off = lora.copies[name] { return grads.lora.map { $0.pointer + off } }
    return index[name].flatMap { grads.model($0) }
  }

  /// Back-propagates from the logit gradients left in `bufs.logits`.
  func backward(_ bufs: PassBuffers, grads: Gradients, step: Int) {
    let c = config, n = bufs.n, d = c.dim, v = c.vocabularySize, seq = bufs.seq
    let dl = UnsafePointer(bufs.logits)
    // Output projection: dxf = dlogits Wout; dWout += dlogits^T xf, over the
    // scored rows (the others have zero logit gradients).
    let ns = bufs.scored, compact = ns < n
    let x = compact ? UnsafePointer(bufs.scoredX) : UnsafePointer(bufs.xf)
    if ns > 0, let gOut = grad(grads, outputTied ? "token_embd.weight" : "output.weight") {
      Gemm.multiply(m: v, n: d, k: ns, a: MatrixRef(dl, rowStride: 1, colStride: v), b: MatrixRef(x, rowStride: d),
                    c: gOut, ldc: d, accumulate: true)
    }
    // Compact: dxf of the scored rows goes to scoredX (no longer needed) and is scattered; other rows are zero.
    let dx = compact ? bufs.scoredX : bufs.dxn
    if ns > 0 {
      Gemm.multiply(m: ns, n: d, k: v, a: MatrixRef(dl, rowStride: v), b: MatrixRef(outputWeight, rowStride: d), c: dx, ldc: d)
    }
    if compact {
      bufs.dxn.update(repeating: 0, count: n * d)
      for r in 0..<ns { (bufs.dxn + Int(bufs.scoredRows[r]) * d).update(from: bufs.scoredX + r * d, count: d) }
    }
    TrainKernels.rmsNormBackward(bufs.dxn, bufs.xOut, pointer("output_norm.weight") ?? embedding, rstd: bufs.rstdF,
                                 dx: bufs.dres, dw: grad(grads, "output_norm.weight"), n: n, dim: d, accumulate: false)
    let dres = bufs.dres
    for l in stride(from: c.layers - 1, through: 0, by: -1) {
      // Checkpointing: recompute this layer's activations (bit-identical: same inputs, same masks).
      if bufs.checkpointing && l + 1 < c.layers { layerForward(l, bufs, step: step, training: true) }
      let a = bufs.layers[l]
      // Feed-forward: out = mid + down(silu(gate(xn2)) * up(xn2)).
      linearBackward(l, .down, x: a.h, dy: dres, n: n, dx: bufs.dh, acts: a, bufs: bufs, grads: grads, step: step)
      TrainKernels.swigluBackward(bufs.dh, a.g, a.u, dg: bufs.dg, du: bufs.du, count: n * c.ffnDim)
      linearsBackward(l, [(.gate, UnsafePointer(bufs.dg)), (.up, UnsafePointer(bufs.du))], x: a.xn2, n: n, dx: bufs.dxn, acts: a, bufs: bufs, grads: grads, step: step)
      TrainKernels.rmsNormBackward(bufs.dxn, a.mid, norm(l, "ffn_norm"), rstd: a.rstd2, dx: dres,
                                   dw: grad(grads, "blk.\(l).ffn_norm.weight"), n: n, dim: d, accumulate: true)
      // Attention: mid = xIn + o(attention(rope(q(xn1)), rope(k(xn1)), v(xn1))).
      linearBackward(l, .o, x: a.att, dy: dres, n: n, dx: bufs.datt, acts: a, bufs: bufs, grads: grads, step: step)
      attentionBackward(a, bufs: bufs)
      TrainKernels.rope(bufs.dq, n: n, seq: seq, heads: c.heads, headDim: c.headDim, ropeDim: c.ropeDim, table: bufs.rope, starts: bufs.starts, inverse: true)
      TrainKernels.rope(bufs.dk, n: n, seq: seq, heads: c.kvHeads, headDim: c.headDim, ropeDim: c.ropeDim, table: bufs.rope, starts: bufs.starts, inverse: true)
      linearsBackward(l, [(.q, UnsafePointer(bufs.dq)), (.k, UnsafePointer(bufs.dk)), (.v, UnsafePointer(bufs.dv))], x: a.xn1, n: n, dx: bufs.dxn, acts: a, bufs: bufs,
                      grads: grads, step: step)
      TrainKernels.rmsNormBackward(bufs.dxn, a.xIn, norm(l, "attn_norm"), rstd: a.rstd1, dx: dres,
                                   dw: grad(grads, "blk.\(l).attn_norm.weight"), n: n, dim: d, accumulate: true)
    }
    if let gE = grad(grads, "token_embd.weight") {
      for i in 0..<n {
        let row = gE + Int(bufs.tokens[i]) * d, src = dres + i * d
        for j in 0..<d { row[j] += src[j] }
      }
    }
  }
}
