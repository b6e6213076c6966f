// The fused training pass against the compute core's autodiff tape: the
// micro model is written again with tensor operations (one-hot embedding,
// RoPE as x*cos + (x P)*sin, heads picked by selection matrices, causal
// mask added before softmax), and both gradients are compared.

import Foundation
import Testing
import RetortCompute
@testable import RetortModels

private func constant(_ rows: Int, _ cols: Int, _ f: (Int, Int) -> Float) throws -> Tensor {
  var v = [Float](repeating: 0, count: rows * cols)
  for r in 0..<rows { for c in 0..<cols { v[r * cols + c] = f(r, c) } }
  return try Tensor(v, shape: [rows, cols])
}

@Test(arguments: [5, 15]) func trainingGradientsMatchAutodiffTape(seq: Int) throws {
  let m = try MicroModel.make(seed: 7)
  let bufs = try MicroModel.batch(m, seq: seq)
  let grads = Gradients(model: m, trainBase: true)
  let scale: Float = 1 / 8
  let fused = m.pass(bufs, grads: grads, lossScale: scale, step: 0)

  let c = m.config, V = c.vocabularySize, hd = c.headDim, T = bufs.seq
  var leaves: [String: Tensor] = [:]
  for p in m.params {
    let t = try Tensor(Array(UnsafeBufferPointer(start: m.values.pointer + p.offset, count: p.count)),
                       shape: p.rows == 1 ? [p.cols] : [p.rows, p.cols]).requiringGrad()
    leaves[p.name] = t
  }
  func w(_ n: String) -> Tensor { leaves[n]! }
  let table = RopeTable(ropeDim: c.ropeDim, base: c.ropeBase, capacity: T)
  func ropeMats(_ heads: Int) throws -> (Tensor, Tensor, Tensor) {
    let width = heads * hd
    let cos = try constant(T, width) { t, j in table.row(t)[2 * ((j % hd) / 2)] }
    let sin = try constant(T, width) { t, j in table.row(t)[2 * ((j % hd) / 2) + 1] }
    let perm = try constant(width, width) { r, col in
      if col % 2 == 0 && r == col + 1 { return -1 }
      if col % 2 == 1 && r == col - 1 { return 1 }
      return 0
    }
    return (cos, sin, perm)
  }
  let (cq, sq, pq) = try ropeMats(c.heads), (ck, sk, pk) = try ropeMats(c.kvHeads)
  let mask = try constant(T, T) { i, j in j > i ? -1e9 : 0 }
  func select(_ width: Int, _ h: Int) throws -> Tensor { try constant(width, hd) { r, col in r == h * hd + col ? 1 : 0 } }
  var total: Tensor? = nil
  for b in 0..<bufs.batch {
    let onehot = try constant(T, V) { t, v in Int(bufs.tokens[b * T + t]) == v ? 1 : 0 }
    let target = try constant(T, V) { t, v in Int(bufs.targets[b * T + t]) == v ? 1 : 0 }
    var x = try onehot.matmul(w("token_embd.weight"))
    for l in 0..<c.layers {
      func lin(_ input: Tensor, _ kind: LinearKind) throws -> Tensor {
        try input.matmul(w("blk.\(l).\(kind.ggufName).weight").transposed())
      }
      let xn = try x.rmsNorm(weight: w("blk.\(l).attn_norm.weight"), eps: c.normEps)
      let q0 = try lin(xn, .q), k0 = try lin(xn, .k), v = try lin(xn, .v)
      let q = try q0 * cq + q0.matmul(pq) * sq, k = try k0 * ck + k0.matmul(pk) * sk
      var att: Tensor? = nil
      for h in 0..<c.heads {
        let kvh = h / (c.heads / c.kvHeads)
        let qh = try q.matmul(select(c.heads * hd, h))
        let kh = try k.matmul(select(c.kvDim, kvh)), vh = try v.matmul(select(c.kvDim, kvh))
        let s = try qh.matmul(kh.transposed()) * (1 / Float(hd).squareRoot()) + mask
        let o = try s.softmax(axis: -1).matmul(vh).matmul(select(c.heads * hd, h).transposed())
        att = try att.map { try $0 + o } ?? o
      }
      x = try x + lin(att!, .o)
      let xn2 = try x.rmsNorm(weight: w("blk.\(l).ffn_norm.weight"), eps: c.normEps)
      x = try x + lin(lin(xn2, .gate).silu() * lin(xn2, .up), .down)
    }
    let logits = try x.rmsNorm(weight: w("output_norm.weight"), eps: c.normEps).matmul(w("token_embd.weight").transposed())
    let loss = try (logits.logSoftmax(axis: -1) * target).sum() * (-scale)
    total = try total.map { try $0 + loss } ?? loss
  }
  try total!.backward()
  #expect(abs(Double(try total!.item()) - fused.loss * Double(scale)) < 1e-4)
  for p in m.params {
    let tape = leaves[p.name]!.grad!.toArray()
    let mine = Array(UnsafeBufferPointer(start: grads.model!.pointer + p.offset, count: p.count))
    let worst = zip(tape, mine).map { abs($0 - $1) }.max() ?? 0
    let size = tape.map(abs).max() ?? 0
    if ProcessInfo.processInfo.environment["SHOW"] != nil { print(p.name, worst, size) }
    #expect(worst <= 1e-4 + 1e-3 * size, "\(p.name): largest difference \(worst) (gradient scale \(size))")
  }
}
