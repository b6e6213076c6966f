// Whole-model gradients of the fused training pass, checked against central
// finite differences and against the compute core's autodiff tape running
// the same model written with tensor operations; and the training forward
// pass against the loader's forward pass on the exported GGUF.

import Foundation
import Testing
import RetortCompute
@testable import RetortModels

enum MicroModel {
  /// A micro model (2 layers, GQA 2:1, width 8) with weights large enough for
  /// finite differences to see every path.
  static func make(seed: Int = 3) throws -> TrainableLlama {
    let m = try TrainableLlama(vocab: 260, context: 16, layers: 2, heads: 2, kvHeads: 1, dim: 8, hidden: 12, seed: seed)
    let rng = CounterRNG(seed: seed + 100)
    for p in m.params {
      let dst = m.values.pointer + p.offset
      for i in 0..<p.count { dst[i] = p.decay ? rng.normal(p.offset + i) * 0.4 : 1 + 0.3 * rng.normal(p.offset + i) }
    }
    return m
  }

  /// d loss / d p[i] by central differences of step `eps` (p[i] restored after).
  static func numericGradient(_ p: UnsafeMutablePointer<Float>, _ i: Int, eps: Float, _ loss: () -> Double) -> Double {
    let old = p[i]
    p[i] = old + eps
    let lp = loss()
    p[i] = old - eps
    let lm = loss()
    p[i] = old
    return (lp - lm) / Double(2 * eps)
  }

  /// A batch of 2 x 5 tokens with some unscored targets; or, for another
  /// `seq`, 2 x seq pseudo-random tokens with every fourth target unscored
  /// (rows longer than a GEMM row tile exercise the triangular products).
  static func batch(_ m: TrainableLlama, seq: Int = 5) throws -> PassBuffers {
    let b = try PassBuffers(model: m, batch: 2, seq: seq, training: true)
    if seq == 5 {
      let toks: [Int32] = [72, 105, 33, 256, 10, 65, 66, 67, 257, 258]
      let tgts: [Int32] = [105, 33, -1, 10, 72, -1, 67, 257, 258, 65]
      for i in 0..<10 { b.tokens[i] = toks[i]; b.targets[i] = tgts[i] }
      return b
    }
    for i in 0..<(2 * seq) {
      b.tokens[i] = Int32((i * 37 + 11) % 260)
      b.targets[i] = i % 4 == 3 ? -1 : Int32((i * 53 + 7) % 260)
    }
    return b
  }
}

@Test func trainingGradientsMatchFiniteDifferences() throws {
  let m = try MicroModel.make()
  let bufs = try MicroModel.batch(m)
  for (i, s) in [0, 0, 2, 2, 2].enumerated() { bufs.starts[5 + i] = Int32(s) }  // a packed example boundary
  let grads = Gradients(model: m, trainBase: true)
  let scale: Float = 1 / 8
  _ = m.pass(bufs, grads: grads, lossScale: scale, step: 0)
  func loss() -> Double { m.pass(bufs, grads: nil, lossScale: scale, step: 0).loss * Double(scale) }
  var checked = 0
  for p in m.params {
    for j in [0, p.count / 3, p.count - 1] {
      let i = p.offset + j
      let numeric = MicroModel.numericGradient(m.values.pointer, i, eps: 2e-3, loss)
      let analytic = Double(grads.model!.pointer[i])
      #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic), "\(p.name)[\(j)]: analytic \(analytic) vs numeric \(numeric)")
      checked += 1
    }
  }
  #expect(checked == m.params.count * 3)
}

@Test func trainingForwardMatchesLoaderForward() throws {
  let m = try MicroModel.make(seed: 5)
  let tokens = [72, 105, 33, 256, 10, 65, 66]
  let mine = try m.logits(tokens)
  let loaded = try m.makeLlamaModel()
  let cache = try loaded.makeCache(context: 16)
  let theirs = try loaded.forward(tokens, cache: cache, outputs: 0..<tokens.count)
  #expect(mine.count == theirs.count)
  let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? 1
  #expect(worst < 1e-4, "largest logit difference \(worst)")
}

@Test func outputProjectionRunsOnScoredRowsOnly() throws {
  // The same batch through the pass that projects only scored rows and through
  // one that projects every row: the same losses and, but for the output
  // (tied embedding) gradient's summation order, the same gradient bits.
  let m = try MicroModel.make(seed: 8)
  var results: [(losses: [Float], grads: [Float])] = []
  for all in [false, true] {
    let bufs = try MicroModel.batch(m, seq: 12)
    bufs.allLogits = all
    let grads = Gradients(model: m, trainBase: true)
    _ = m.pass(bufs, grads: grads, lossScale: 0.1, step: 0)
    #expect(bufs.scored == (all ? bufs.n : bufs.n - bufs.n / 4))
    results.append((Array(UnsafeBufferPointer(start: bufs.losses, count: bufs.n)),
                    Array(UnsafeBufferPointer(start: grads.model!.pointer, count: m.values.count))))
  }
  #expect(results[0].losses == results[1].losses)
  for p in m.params {
    let a = results[0].grads[p.offset..<(p.offset + p.count)], b = results[1].grads[p.offset..<(p.offset + p.count)]
    if p.name == "token_embd.weight" {
      let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 1
      #expect(worst < 1e-6, "\(p.name): \(worst)")
    } else {
      #expect(Array(a) == Array(b), "\(p.name)")
    }
  }
}
