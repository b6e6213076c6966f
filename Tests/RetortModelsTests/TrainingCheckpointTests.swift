// Checkpoints: safetensors (HF names and layout, config + tokenizer in the
// header), GGUF at every supported type, PEFT adapter directories, atomic
// replacement, and clear errors for corrupt files.

import Foundation
import Testing
import RetortCompute
import RetortFiles
@testable import RetortModels

private func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

@Test func safetensorsRoundTripInHuggingFaceLayout() throws {
  let m = try MicroModel.make(seed: 21)
  let path = Fixtures.tempPath(".safetensors")
  defer { unlink(path) }
  try m.save(path)
  let back = try TrainableLlama.load(path)
  #expect(back.config == m.config && back.tokenizer.tokens == m.tokenizer.tokens && back.tokenizer.eos == m.tokenizer.eos)
  #expect(back.chatTemplate == m.chatTemplate)
  for p in m.params { #expect(try back.tensorValues(p.name) == m.tensorValues(p.name), "\(p.name)") }
  let toks = [72, 105, 257, 10]
  #expect(try back.logits(toks) == m.logits(toks))
  // The file holds q in Hugging Face's rotate-half row order.
  let f = try SafetensorsFile(path: path)
  let hfQ = try f.floats("model.layers.0.self_attn.q_proj.weight")
  let q = try m.tensorValues("blk.0.attn_q.weight"), c = m.config
  #expect(hfQ == HFLayout.permuteRows(q, rows: c.dim, cols: c.dim, heads: c.heads, toHF: true))
  #expect(hfQ != q)
  #expect(HFLayout.permuteRows(hfQ, rows: c.dim, cols: c.dim, heads: c.heads, toHF: false) == q)
  #expect(f.entries["model.embed_tokens.weight"]?.shape == [260, 8] && f.entries["lm_head.weight"] == nil)
}

@Test func ggufRoundTripAtEveryType() throws {
  let m = try TrainableLlama(vocab: 259, context: 32, layers: 2, heads: 2, kvHeads: 1, dim: 64, hidden: 80, seed: 3)
  let toks = [72, 105, 33, 256, 10, 65]
  let ref = try m.logits(toks)
  for (q, tol) in [("f32", Float(0)), ("f16", 2e-3), ("q8_0", 2e-2), ("q4_1", 0.2)] {
    let path = Fixtures.tempPath(".gguf")
    defer { unlink(path) }
    try m.save(path, quant: q)
    let file = try GGUFFile(path: path)
    // ffn_down rows (80) are not whole blocks: F16 fallback, as llama.cpp's quantizer does.
    if q == "q8_0" || q == "q4_1" {
      #expect(file.tensor("blk.0.ffn_down.weight")?.type == .f16)
      #expect(file.tensor("blk.0.attn_q.weight")?.type.name.lowercased() == q)
      // The embeddings (also the tied output layer) stay at 8 bits under a 4-bit type.
      #expect(file.tensor("token_embd.weight")?.type == .q8_0)
    }
    #expect(file["tokenizer.ggml.eos_token_id"]?.int == 256)
    #expect(file["general.quantization_version"]?.int == (q == "q8_0" || q == "q4_1" ? 2 : nil))
    let back = try TrainableLlama.load(path)
    #expect(maxDiff(try back.logits(toks), ref) <= tol, "\(q)")
    if q == "f32" { #expect(try back.tensorValues("blk.1.ffn_gate.weight") == m.tensorValues("blk.1.ffn_gate.weight")) }
  }
  #expect(throws: ModelError.self) { try m.save(Fixtures.tempPath(".gguf"), quant: "q5_k") }
  #expect(throws: ModelError.self) { try m.save(Fixtures.tempPath(".bin")) }
}

@Test func peftAdapterRoundTrip() throws {
  let m = try MicroModel.make(seed: 22)
  try m.attachLoRA(LoRAOptions(rank: 2, alpha: 6, targets: [.q, .k, .v, .o, .gate, .up, .down]))
  let lora = try #require(m.lora)
  let rng = CounterRNG(seed: 8)
  for i in 0..<lora.values.count { lora.values.pointer[i] = rng.normal(i) * 0.3 }
  let toks = [65, 66, 10, 258]
  let adapted = try m.logits(toks)
  let dir = Fixtures.tempPath("-peft")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try m.saveLoRA(dir, baseModel: "micro")
  let st = try SafetensorsFile(path: dir + "/adapter_model.safetensors")
  #expect(st.entries["base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight"]?.shape == [2, 8])
  #expect(st.entries["base_model.model.model.layers.0.mlp.down_proj.lora_B.weight"]?.shape == [8, 2])
  #expect(st.entries.count == 2 * 7 * 2)
  let cfg = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/adapter_config.json"))) as? [String: Any]
  #expect(cfg?["r"] as? Int == 2 && cfg?["peft_type"] as? String == "LORA")
  #expect((cfg?["target_modules"] as? [String])?.contains("gate_proj") == true)

  let other = try MicroModel.make(seed: 22)
  let loaded = try other.loadLoRA(dir)
  #expect(loaded.scale == 3 && loaded.options.targets.count == 7)
  #expect(maxDiff(try other.logits(toks), adapted) < 1e-5)
  #expect(throws: ModelError.self) { try other.loadLoRA(dir) }
  other.unloadLoRA()
  #expect(throws: ModelError.self) { try other.loadLoRA(dir + "-missing") }
  // Untrained adapters have no template; trained ones keep theirs beside the adapter, so a
  // model that loads them is asked the same way.
  #expect(!FileManager.default.fileExists(atPath: dir + "/retort_adapter.json"))
  m.trainedTemplate = .chat
  try m.saveLoRA(dir, baseModel: "micro")
  let third = try MicroModel.make(seed: 22)
  #expect(third.trainedTemplate == nil)
  _ = try third.loadLoRA(dir)
  #expect(third.trainedTemplate == .chat)
}

@Test func checkpointWritesAreAtomic() throws {
  let m = try MicroModel.make(seed: 23)
  let dir = Fixtures.tempPath("-atomic")
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/m.safetensors"
  try m.save(path)
  let before = try Data(contentsOf: URL(fileURLWithPath: path))
  // A failed save (here: quant not valid for safetensors) leaves the old file intact.
  #expect(throws: ModelError.self) { try m.save(path, quant: "q4_1") }
  // A write to a directory is refused and leaves no temporary file.
  try FileManager.default.createDirectory(atPath: dir + "/d.gguf/x", withIntermediateDirectories: true)
  #expect(throws: FileError.self) { try m.save(dir + "/d.gguf") }
  #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
  #expect(left == ["d.gguf", "m.safetensors"])
  // A save into a directory that does not exist yet makes it (as dataset saves do).
  try m.save(dir + "/new/sub/m.safetensors")
  #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/new/sub/m.safetensors")) == before)
}

@Test func corruptSafetensorsGiveClearErrors() throws {
  let m = try MicroModel.make(seed: 24)
  let bytes = try m.safetensorsBytes()
  let path = Fixtures.tempPath(".safetensors")
  defer { unlink(path) }
  for (what, b) in [("truncated", Array(bytes.prefix(bytes.count - 10))), ("tiny", [UInt8](bytes.prefix(5))),
                    ("huge header", [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0] + bytes.dropFirst(8)),
                    ("garbage header", Array(bytes.prefix(8)) + [UInt8](repeating: 0x41, count: bytes.count - 8))] {
    try Data(b).write(to: URL(fileURLWithPath: path))
    do {
      _ = try TrainableLlama.load(path)
      Issue.record("\(what): expected an error")
    } catch let e as ModelError {
      #expect(e.description.contains(path), "\(what): \(e)")
    }
  }
}

/// Fixture written by Scripts/reference/peft_fixture.py with transformers + peft.
private struct PeftLogits: Decodable { let tokens: [Int]; let logits: [Float]; let base_logits: [Float] }

@Test func loadsHuggingFaceWeightsAndAPeftAdapterLikeTransformers() throws {
  guard let dir = Bundle.module.url(forResource: "peft_micro", withExtension: nil, subdirectory: "Fixtures") else {
    throw ModelError("missing fixture Fixtures/peft_micro")
  }
  let ref = try JSONDecoder().decode(PeftLogits.self, from: Data(contentsOf: dir.appendingPathComponent("logits.json")))
  // Base weights in HF layout (rotate-half RoPE order): our adjacent-pair RoPE after the row permutation.
  let m = try TrainableLlama.load(dir.appendingPathComponent("model.safetensors").path)
  #expect(maxDiff(try m.logits(ref.tokens), ref.base_logits) < 1e-4)
  // The adapter as peft saved it (random A and B, q/k B rows permuted on load).
  let a = try m.loadLoRA(dir.appendingPathComponent("adapter").path)
  #expect(a.options.rank == 2 && a.scale == 3 && a.options.targets.count == 7)
  let got = try m.logits(ref.tokens)
  #expect(maxDiff(got, ref.logits) < 1e-4, "largest difference \(maxDiff(got, ref.logits))")
  #expect(maxDiff(ref.logits, ref.base_logits) > 0.1)
  // And back out again: our PEFT files reproduce the same outputs after a reload.
  let out = Fixtures.tempPath("-peft")
  defer { try? FileManager.default.removeItem(atPath: out) }
  try m.saveLoRA(out)
  m.unloadLoRA()
  try m.loadLoRA(out)
  #expect(maxDiff(try m.logits(ref.tokens), got) == 0)
}

@Test func loadsAPeftAdapterWhoseEmbeddingsAndOutputLayerWereTrainedApart() throws {
  guard let dir = Bundle.module.url(forResource: "peft_micro", withExtension: nil, subdirectory: "Fixtures") else {
    throw ModelError("missing fixture Fixtures/peft_micro")
  }
  let ref = try JSONDecoder().decode(PeftLogits.self, from: Data(contentsOf: dir.appendingPathComponent("logits_embeddings.json")))
  // peft's modules_to_save on a tied model: embed_tokens and lm_head each moved its own way.
  let m = try TrainableLlama.load(dir.appendingPathComponent("model.safetensors").path)
  #expect(m.tiedOutput)
  let a = try m.loadLoRA(dir.appendingPathComponent("adapter_embeddings").path)
  #expect(a.options.trainEmbeddings && a.options.untiedOutput && a.options.targets == [.q, .v])
  let got = try m.logits(ref.tokens)
  #expect(maxDiff(got, ref.logits) < 1e-4, "largest difference \(maxDiff(got, ref.logits))")
  #expect(maxDiff(ref.logits, ref.base_logits) > 0.1)
  // Merged, the model is untied and computes the same.
  try m.mergeLoRA()
  #expect(!m.tiedOutput)
  #expect(maxDiff(try m.logits(ref.tokens), ref.logits) < 1e-4)
}

@Test func aRoPEBaseOrNormEpsilonThatMakesEveryLogitNaNIsRefusedAtLoad() throws {
  // Such files loaded, and generation then returned "" without a word.
  // (JSON has no NaN, so the safetensors config cannot hold one.)
  for (base, eps, key, exts) in [(Float.nan, Float(1e-5), "rope.freq_base is nan", [".gguf"]),
                                 (0, 1e-5, "rope.freq_base is 0.0", [".gguf", ".safetensors"]),
                                 (10000, -1, "layer_norm_rms_epsilon is -1.0", [".gguf", ".safetensors"])] {
    let m = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, ropeBase: base, seed: 2)
    m.config.normEps = eps
    for ext in exts {
      let path = Fixtures.tempPath(ext)
      defer { unlink(path) }
      try m.save(path)
      do {
        _ = try TrainableLlama.load(path)
        Issue.record("\(ext) with base \(base), eps \(eps) loaded")
      } catch let e as ModelError {
        let wanted = ext == ".gguf" ? key : (base == 10000 ? "norm_eps is -1.0" : "rope_base is \(base)")
        #expect("\(e)".contains(wanted), "\(e)")
      }
    }
  }
}
