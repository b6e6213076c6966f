// LoRA with trained embedding copies (`trainEmbeddings`, PEFT's
// modules_to_save): outputs unchanged until trained, gradients of the copy
// match finite differences, training moves the copy (new tokens from
// extend_vocab learn) and never the base, merged equals unmerged, the
// adapted inference model uses the copy, and PEFT directories round-trip,
// including a tied model's lm_head trained apart from its embed_tokens.

import Foundation
import Testing
import RetortCompute
@testable import RetortModels

private func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }
private let withEmbeddings = LoRAOptions(rank: 4, alpha: 8, targets: [.q, .v, .down], trainEmbeddings: true)

@Test func embeddingCopiesStartAsTheModelsAndTheirGradientsMatchFiniteDifferences() throws {
  let m = try MicroModel.make(seed: 21)
  let toks = [72, 105, 33, 256, 10]
  let before = try m.logits(toks)
  let plain = try LoRAAdapters(config: m.config, options: LoRAOptions(rank: 4, alpha: 8, targets: [.q, .v, .down])).parameterCount
  let n = try m.attachLoRA(withEmbeddings)
  #expect(n == plain + m.config.vocabularySize * m.config.dim)
  #expect(try m.logits(toks) == before)
  let lora = try #require(m.lora)
  let rng = CounterRNG(seed: 8)
  for i in 0..<lora.values.count { lora.values.pointer[i] += rng.normal(i) * 0.2 }
  let bufs = try MicroModel.batch(m)
  let grads = Gradients(model: m, trainBase: false)
  let scale: Float = 1 / 8
  _ = m.pass(bufs, grads: grads, lossScale: scale, step: 1)
  func loss() -> Double { m.pass(bufs, grads: Gradients(model: m, trainBase: false), lossScale: scale, step: 1).loss * Double(scale) }
  let off = try #require(lora.copies["token_embd.weight"]), d = m.config.dim
  // Rows of tokens in the batch (input and, tied, output) and one that only the output layer sees.
  for i in [off + Int(bufs.tokens[0]) * d, off + Int(bufs.tokens[3]) * d + d - 1, off + 200 * d + 5] {
    let numeric = MicroModel.numericGradient(lora.values.pointer, i, eps: 1e-2, loss), analytic = Double(grads.lora!.pointer[i])
    #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic), "embedding copy [\(i - off)]: \(analytic) vs \(numeric)")
  }
}

@Test func newTokensLearnThroughTheCopyAndTheBaseStaysAsItWas() throws {
  let m = try TinySFT.model(seed: 5)
  #expect(try m.extendVocab(["Paris", "cold"]) == 2)
  let newRow = m.config.vocabularySize - 2
  let base = try m.tensorValues("token_embd.weight")
  let toks = m.tokenizer.encode(try m.prompt(TinySFT.examples[1], template: .chat)) + [newRow]
  let before = try m.logits(toks)
  try m.attachLoRA(LoRAOptions(rank: 4, alpha: 8, trainEmbeddings: true))
  var o = TinySFT.options(steps: 12)
  o.lr = 1e-2
  let run = try m.train(.instructions(TinySFT.examples), options: o)
  #expect(run.loss.last! < run.loss[0] - 0.1 && m.untrainedTokens == 0)
  let lora = try #require(m.lora), d = m.config.dim
  let copy = try #require(lora.copy("token_embd.weight"))
  let trained = Array(UnsafeBufferPointer(start: copy + newRow * d, count: d))
  #expect(maxDiff(trained, Array(base[(newRow * d)..<((newRow + 1) * d)])) > 1e-3, "the new token's row did not train")
  #expect(try m.tensorValues("token_embd.weight") == base)
  let adapted = try m.logits(toks)
  // Unload: the base model, bit for bit; merge: the adapted function.
  let removed = try #require(m.unloadLoRA())
  #expect(try m.logits(toks) == before)
  try m.attach(removed)
  try m.mergeLoRA()
  #expect(maxDiff(try m.logits(toks), adapted) < 1e-4)
  #expect(maxDiff(try m.tensorValues("token_embd.weight"), Array(UnsafeBufferPointer(start: copy, count: base.count))) == 0)
}

@Test func adaptedInferenceAndPEFTFilesCarryTheEmbeddingCopy() throws {
  let base = try TinyModel.model()
  let toks = [104, 101, 108, 108, 111, 32, 258, 10]
  let q = try TrainableLlama(model: base, quantizedBase: true)
  try q.attachLoRA(withEmbeddings)
  let lora = try #require(q.lora)
  let rng = CounterRNG(seed: 19)
  for i in 0..<lora.values.count { lora.values.pointer[i] += rng.normal(i) * 0.1 }
  let adapted = try base.adapted(lora)
  let logits = try adapted.forward(toks, cache: try adapted.makeCache(context: 64), outputs: 0..<toks.count)
  #expect(maxDiff(logits, try base.forward(toks, cache: try base.makeCache(context: 64), outputs: 0..<toks.count)) > 0.05)
  #expect(maxDiff(logits, try q.logits(toks)) < 1e-3)
  // PEFT layout: modules_to_save embed_tokens and lm_head (equal: the fixture ties them), read back exactly.
  let dir = Fixtures.tempPath("-peft")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try q.saveLoRA(dir)
  let cfg = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/adapter_config.json"))) as? [String: Any])
  #expect(cfg["modules_to_save"] as? [String] == ["embed_tokens", "lm_head"])
  let st = try SafetensorsFile(path: dir + "/adapter_model.safetensors")
  #expect(try st.floats("base_model.model.model.embed_tokens.weight") == st.floats("base_model.model.lm_head.weight"))
  let again = try LoRAAdapters(peftDirectory: dir, config: base.config)
  #expect(again.options.trainEmbeddings)
  #expect(Array(UnsafeBufferPointer(start: again.values.pointer, count: again.values.count))
          == Array(UnsafeBufferPointer(start: lora.values.pointer, count: lora.values.count)))
}

@Test func aTiedModelTakesAnOutputLayerTrainedApartAndMergingUntiesIt() throws {
  let base = try TinyModel.model()
  let toks = [104, 101, 108, 108, 111, 32, 258, 10]
  let q = try TrainableLlama(model: base, quantizedBase: true)
  #expect(q.tiedOutput)
  var options = withEmbeddings
  options.untiedOutput = true
  let before = try q.logits(toks)
  try q.attachLoRA(options)
  #expect(try q.logits(toks) == before)
  #expect(!q.outputTied && q.tiedOutput)
  let lora = try #require(q.lora)
  let rng = CounterRNG(seed: 23)
  for i in 0..<lora.values.count { lora.values.pointer[i] += rng.normal(i) * 0.1 }
  // The output copy's gradient (the embedding copy's own is checked above).
  let bufs = try MicroModel.batch(q)
  let grads = Gradients(model: q, trainBase: false)
  _ = q.pass(bufs, grads: grads, lossScale: 1, step: 1)
  func loss() -> Double { q.pass(bufs, grads: Gradients(model: q, trainBase: false), lossScale: 1, step: 1).loss }
  let out = try #require(lora.copies["output.weight"]), d = q.config.dim
  for i in [out + Int(bufs.targets[0]) * d + 3, out + 200 * d] {
    let numeric = MicroModel.numericGradient(lora.values.pointer, i, eps: 1e-2, loss), analytic = Double(grads.lora!.pointer[i])
    #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic), "output copy [\(i - out)]: \(analytic) vs \(numeric)")
  }
  let trained = try q.logits(toks)
  let adapted = try base.adapted(lora)
  #expect(maxDiff(try adapted.forward(toks, cache: try adapted.makeCache(context: 64), outputs: 0..<toks.count), trained) < 1e-3)
  // PEFT writes the two apart; reading it back onto a tied model keeps them apart.
  let dir = Fixtures.tempPath("-peft-untied")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try q.saveLoRA(dir)
  let st = try SafetensorsFile(path: dir + "/adapter_model.safetensors")
  #expect(try st.floats("base_model.model.model.embed_tokens.weight") != st.floats("base_model.model.lm_head.weight"))
  let again = try TrainableLlama(model: base, quantizedBase: true)
  let read = try again.loadLoRA(dir)
  #expect(read.options.untiedOutput && read.copies.count == 2)
  #expect(Array(UnsafeBufferPointer(start: read.values.pointer, count: read.values.count))
          == Array(UnsafeBufferPointer(start: lora.values.pointer, count: lora.values.count)))
  #expect(maxDiff(try again.logits(toks), trained) < 1e-5)
  #expect(read.options.record == options.record)
  #expect(try options.record.options("x") == options)
  // A whole-model file of the adapted model is untied; merging unties the model.
  let file = Fixtures.tempPath(".safetensors")
  defer { unlink(file) }
  try again.saveSafetensors(file)
  let reloaded = try TrainableLlama(safetensors: file)
  #expect(!reloaded.tiedOutput)
  #expect(maxDiff(try reloaded.logits(toks), trained) < 1e-4)
  try again.mergeLoRA()
  #expect(!again.tiedOutput && again.lora == nil)
  #expect(maxDiff(try again.logits(toks), trained) < 1e-4)
  let merged = try again.makeLlamaModel()
  #expect(maxDiff(try merged.forward(toks, cache: try merged.makeCache(context: 64), outputs: 0..<toks.count), trained) < 1e-3)
}

@Test func anAdapterOverAnExtendedVocabularyBringsItsTokens() throws {
  let base = try TinyModel.model()
  let m = try TrainableLlama(model: base, quantizedBase: false)
  #expect(try m.extendVocab(["你好", "世界"]) == 2)
  try m.attachLoRA(LoRAOptions(rank: 4, alpha: 8, dropout: 0.05, targets: [.q, .v], trainEmbeddings: true))
  let lora = try #require(m.lora)
  let rng = CounterRNG(seed: 23)
  for i in 0..<lora.values.count { lora.values.pointer[i] += rng.normal(i) * 0.1 }
  let toks = m.tokenizer.encode("你好 hello 世界", addBOS: false)
  let dir = Fixtures.tempPath("-peft-vocab")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try m.saveLoRA(dir)
  let cfg = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/adapter_config.json"))) as? [String: Any])
  #expect("\(cfg["lora_dropout"] ?? "")" == "0.05")
  // A fresh copy of the base takes the adapter's two tokens from added_tokens.json, then its rows.
  let fresh = try TrainableLlama(model: base, quantizedBase: false)
  try fresh.loadLoRA(dir)
  #expect(fresh.tokenizer.vocabularySize == m.tokenizer.vocabularySize)
  #expect(fresh.tokenizer.encode("你好 hello 世界", addBOS: false) == toks)
  #expect(maxDiff(try fresh.logits(toks), try m.logits(toks)) < 1e-5)
  // A later save of an adapter without added tokens into the same directory leaves no stale list.
  let plain = try TrainableLlama(model: base, quantizedBase: false)
  try plain.attachLoRA(LoRAOptions(rank: 4, alpha: 8, targets: [.q]))
  try plain.saveLoRA(dir)
  #expect(!FileManager.default.fileExists(atPath: dir + "/added_tokens.json"))
}
