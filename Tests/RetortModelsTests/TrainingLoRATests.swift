// LoRA: zero-initialised B leaves outputs unchanged, adapter gradients match
// finite differences (with dropout), merged equals unmerged, only adapters
// train, and a frozen quantized base (Q4_1/Q8_0) trains adapters through the
// fused quantized forward.

import Foundation
import Testing
import RetortCompute
@testable import RetortModels

private func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

@Test func loraWithZeroBLeavesOutputsUnchanged() throws {
  let m = try MicroModel.make(seed: 11)
  let toks = [72, 105, 33, 256, 10]
  let before = try m.logits(toks)
  let n = try m.attachLoRA(LoRAOptions(rank: 4, alpha: 8))
  let c = m.config
  let expected = c.layers * LinearKind.allCases.reduce(0) { s, k in let sh = k.shape(c); return s + 4 * (sh.rows + sh.cols) }
  #expect(n == expected && m.trainableParameterCount == expected)
  #expect(try m.logits(toks) == before)
  #expect(throws: ModelError.self) { try m.attachLoRA() }
  #expect(throws: ModelError.self) { try m.attachLoRA(LoRAOptions(rank: 0)) == 0 }
}

@Test func loraGradientsMatchFiniteDifferences() throws {
  let m = try MicroModel.make(seed: 12)
  try m.attachLoRA(LoRAOptions(rank: 2, alpha: 4, dropout: 0.25, targets: [.q, .v, .down], seed: 3))
  let lora = try #require(m.lora)
  let rng = CounterRNG(seed: 77)
  for i in 0..<lora.values.count { lora.values.pointer[i] = rng.normal(i) * 0.5 }
  let bufs = try MicroModel.batch(m)
  let grads = Gradients(model: m, trainBase: false)
  #expect(grads.model == nil)
  let scale: Float = 1 / 8
  _ = m.pass(bufs, grads: grads, lossScale: scale, step: 5)
  func loss() -> Double { m.pass(bufs, grads: Gradients(model: m, trainBase: false), lossScale: scale, step: 5).loss * Double(scale) }
  for p in lora.params {
    for j in [0, p.count - 1] {
      let i = p.offset + j
      let numeric = MicroModel.numericGradient(lora.values.pointer, i, eps: 1e-2, loss), analytic = Double(grads.lora!.pointer[i])
      #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic), "\(p.name)[\(j)]: \(analytic) vs \(numeric)")
    }
  }
}

@Test func mergedEqualsUnmergedAndUnloadRestoresTheBase() throws {
  let m = try MicroModel.make(seed: 13)
  let toks = [65, 66, 67, 68, 10, 257]
  let base = try m.logits(toks)
  try m.attachLoRA(LoRAOptions(rank: 4, alpha: 16))
  let lora = try #require(m.lora)
  let rng = CounterRNG(seed: 5)
  for i in 0..<lora.values.count { lora.values.pointer[i] = rng.normal(i) * 0.2 }
  let adapted = try m.logits(toks)
  #expect(maxDiff(adapted, base) > 1e-2)
  let removed = m.unloadLoRA()
  #expect(try m.logits(toks) == base)
  try m.attach(#require(removed))
  try m.mergeLoRA()
  #expect(m.lora == nil)
  #expect(maxDiff(try m.logits(toks), adapted) < 1e-4)
  #expect(throws: ModelError.self) { try m.mergeLoRA() }
}

@Test func loraTrainsOnlyAdapters() throws {
  let m = try TinySFT.model(seed: 2)
  let emb = try m.tensorValues("token_embd.weight"), wq = try m.tensorValues("blk.0.attn_q.weight")
  try m.attachLoRA(LoRAOptions(rank: 8, alpha: 16))
  var o = TinySFT.options(steps: 15)
  o.lr = 1e-2
  let run = try m.train(.instructions(TinySFT.examples), options: o)
  #expect(run.trainableParameters == m.lora!.parameterCount)
  #expect(run.loss.last! < run.loss[0] - 0.1, "loss \(run.loss[0]) -> \(run.loss.last!)")
  #expect(try m.tensorValues("token_embd.weight") == emb && m.tensorValues("blk.0.attn_q.weight") == wq)
}

@Test func loraOnAFrozenQuantizedBase() throws {
  let fresh = try TrainableLlama(vocab: 259, context: 64, layers: 2, heads: 2, kvHeads: 1, dim: 64, hidden: 128, seed: 4)
  for type in [GGMLType.q4_1, .q8_0] {
    let path = Fixtures.tempPath(".gguf")
    defer { unlink(path) }
    try fresh.saveGGUF(path, type: type)
    let loaded = try LlamaModel(path)
    let q = try TrainableLlama(model: loaded, quantizedBase: true)
    #expect(q.hasQuantizedBase && q.parameterCount < q.totalParameterCount)
    #expect(throws: ModelError.self) { try q.train(.instructions(TinySFT.examples), options: TinySFT.options(steps: 1)) }
    // The quantized forward agrees with the loader's (both on the fused kernels).
    let toks = loaded.tokenizer.encode(try q.prompt(TinySFT.examples[1], template: .chat))
    let cache = try loaded.makeCache(context: 64)
    let ref = try loaded.forward(toks, cache: cache, outputs: 0..<toks.count)
    #expect(maxDiff(try q.logits(toks), ref) < 1e-3)
    try q.attachLoRA(LoRAOptions(rank: 4, alpha: 8))
    let run = try q.train(.instructions(TinySFT.examples), options: TinySFT.options(steps: 6))
    #expect(run.loss.last! < run.loss[0], "\(type): loss \(run.loss[0]) -> \(run.loss.last!)")
    #expect(q.hasQuantizedBase)
    let adapted = try q.logits(toks)
    try q.mergeLoRA()
    #expect(!q.hasQuantizedBase)
    // Merged into dequantized f32 weights vs the quantized-activation forward: close, not exact.
    #expect(maxDiff(try q.logits(toks), adapted) < 0.05)
  }
}

/// Logits of every position: the batch forward, and one token at a time (the decode path).
private func allLogits(_ m: LlamaModel, _ toks: [Int]) throws -> (batch: [Float], steps: [Float]) {
  let batch = try m.forward(toks, cache: try m.makeCache(context: 64), outputs: 0..<toks.count)
  let cache = try m.makeCache(context: 64)
  var steps: [Float] = []
  for t in toks { steps += try m.forward([t], cache: cache) }
  return (batch, steps)
}

@Test func adaptedModelAppliesAdaptersOverTheLoadedWeights() throws {
  // The tiny fixture mixes Q4_1, Q4_0, Q8_0, F16 and F32 projections.
  let base = try TinyModel.model()
  let toks = [104, 101, 108, 108, 111, 32, 258, 10]
  let q = try TrainableLlama(model: base, quantizedBase: true)
  try q.attachLoRA(LoRAOptions(rank: 4, alpha: 8, targets: [.q, .v, .o, .up, .down]))
  let lora = try #require(q.lora)
  // Fresh adapters (B = 0) change nothing, bit for bit.
  let zero = try base.adapted(lora)
  let (b0, s0) = try allLogits(base, toks)
  let (bz, sz) = try allLogits(zero, toks)
  #expect(bz == b0 && sz == s0)
  let rng = CounterRNG(seed: 9)
  for i in 0..<lora.values.count { lora.values.pointer[i] = rng.normal(i) * 0.3 }
  let adapted = try base.adapted(lora)
  let (ba, sa) = try allLogits(adapted, toks)
  #expect(maxDiff(ba, b0) > 0.05)
  // The batch path matches the training forward (the same quantized base plus adapters).
  #expect(maxDiff(ba, try q.logits(toks)) < 1e-3)
  // One token and a batch add the same term: y = x W^T + s (x A^T) B^T, checked
  // in doubles on an f32 projection (ffn_up), whose base product is exact either way.
  let up = adapted.layers[1].up, ad = try #require(up.lora), w = try #require(up.floats)
  let xs = (0..<(3 * up.cols)).map { rng.normal(1000 + $0) }
  var batchOut = [Float](repeating: 0, count: 3 * up.rows), rowOut = [Float](repeating: 0, count: up.rows)
  up.apply(xs, n: 3, into: &batchOut)
  for r in 0..<3 {
    xs.withUnsafeBufferPointer { up.apply($0.baseAddress! + r * up.cols, n: 1, into: &rowOut) }
    for i in 0..<up.rows {
      var ref = 0.0
      for j in 0..<up.cols { ref += Double(xs[r * up.cols + j]) * Double(w[i * up.cols + j]) }
      for k in 0..<ad.rank {
        var t = 0.0
        for j in 0..<up.cols { t += Double(xs[r * up.cols + j]) * Double(ad.a[k * up.cols + j]) }
        ref += Double(ad.scale) * t * Double(ad.b[i * ad.rank + k])
      }
      #expect(abs(Double(rowOut[i]) - ref) < 1e-4 && abs(Double(batchOut[r * up.rows + i]) - ref) < 1e-4)
    }
  }
  // The fingerprint names base and adapters.
  #expect(adapted.fingerprint != base.fingerprint && adapted.fingerprint != zero.fingerprint)
  #expect(adapted.info.fingerprint == adapted.fingerprint && base.fingerprint == base.file.fingerprint)
  // A snapshot: changing the adapters afterwards does not change the model.
  lora.values.pointer[0] += 1
  #expect(try allLogits(adapted, toks).batch == ba)
  lora.values.pointer[0] -= 1
  // Merging into dequantized f32 weights gives nearly the same function.
  try q.mergeLoRA()
  #expect(maxDiff(try q.makeLlamaModel().forward(toks, cache: try base.makeCache(context: 64), outputs: 0..<toks.count), ba) < 0.05)
  // Adapters for another shape are refused.
  let other = try LoRAAdapters(config: MicroModel.make(seed: 1).config, options: LoRAOptions(rank: 2))
  #expect(throws: ModelError.self) { try base.adapted(other) }
}
