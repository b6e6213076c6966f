// The real model against committed references (Scripts/reference/model_reference.py):
// last-position top-10 logits from an independent float32 NumPy forward
// pass on the same file, greedy continuations from it and from llama.cpp,
// and perplexity as llama.cpp computes it. Skipped when the model is not cached.

import Foundation
import Testing
@testable import RetortModels

struct ModelReferenceTests {
  struct Case: Decodable {
    let prompt: String
    let ids: [Int]
    let top10: [Int]
    let top10_logits: [Float]
    let greedy: [Int]
    let greedy_margins: [Float]
    let llama_simple_text: String?
  }
  struct PPL: Decodable { let context: Int; let numpy: Double; let llama_cpp: Double? }
  struct Reference: Decodable { let perplexity: PPL; let cases: [Case] }

  /// The cached model, or nil when absent (a load error is a test failure, not a skip).
  /// The kernel modules are optimised in debug builds too (Package.swift), so
  /// these run in a few seconds under plain `swift test`.
  static let loaded: Result<LlamaModel, Error>? = {
    guard let path = Fixtures.realModel() else { return nil }
    return Result { try LlamaModel(path) }
  }()

  static var model: LlamaModel? {
    get throws { try loaded?.get() }
  }

  static func reference() throws -> Reference { try Fixtures.json("model_reference.json", as: Reference.self) }

  /// Tolerance: the reference is f32 throughout. Our prompt layers also use
  /// f32 activations with dequantized weights, but the output projection of
  /// the last row is a matrix-vector product with activations quantized to 8
  /// bits per block (as llama.cpp does), which moves logits by up to ~0.17 on
  /// these prompts (printed; deterministic) on logits of magnitude 10-25.
  /// 0.25 still pins the top-10 ranking wherever reference gaps exceed it.
  static let logitTolerance: Float = 0.25

  @Test func lastPositionLogitsMatchReference() throws {
    guard let m = try Self.model else { return }
    for c in try Self.reference().cases {
      #expect(m.tokenizer.encode(c.prompt) == c.ids)
      let cache = try m.makeCache(context: 256)
      let logits = try m.forward(c.ids, cache: cache)
      let order = logits.indices.sorted { logits[$0] > logits[$1] }
      let top = Array(order.prefix(10))
      let dev = zip(c.top10, c.top10_logits).map { abs(logits[$0] - $1) }.max() ?? 0
      print("prompt \(c.prompt.debugDescription): max top-10 logit difference \(dev)")
      for (k, id) in c.top10.enumerated() {
        #expect(abs(logits[id] - c.top10_logits[k]) < Self.logitTolerance, "prompt \(c.prompt.debugDescription) id \(id)")
      }
      // Same set of top-10 ids; order may swap only where the reference gap is within tolerance.
      #expect(Set(top) == Set(c.top10) || zip(top, c.top10).allSatisfy { a, b in a == b || abs(logits[a] - logits[b]) < Self.logitTolerance },
              "prompt \(c.prompt.debugDescription): top10 \(top) vs \(c.top10)")
      #expect(top[0] == c.top10[0])
    }
  }

  /// Greedy continuations: identical to the reference for 16+ tokens. Where
  /// the NumPy (f32) reference has a near-tie (top-two gap < 0.1) the two
  /// implementations may legitimately pick differently after that point; then
  /// the first 16 tokens must still match llama.cpp's own continuation (which,
  /// like ours, quantizes activations to 8 bits when decoding).
  @Test func greedyContinuationsMatchReference() throws {
    guard let m = try Self.model else { return }
    for c in try Self.reference().cases {
      let r = try m.generate(tokens: c.ids, options: GenerationOptions(maxTokens: c.greedy.count, sampling: .greedy, stopAtEndOfSequence: false))
      let same = zip(r.tokens, c.greedy).prefix { $0 == $1 }.count
      let tie = c.greedy_margins.firstIndex { $0 < 0.1 } ?? c.greedy.count
      #expect(same >= min(tie, c.greedy.count), "prompt \(c.prompt.debugDescription): diverged at \(same) before the first near-tie at \(tie)")
      if same < 16 {
        let llama = try #require(c.llama_simple_text, "no llama.cpp reference for \(c.prompt.debugDescription)")
        let ours = m.tokenizer.decode(Array(r.tokens.prefix(16)))
        print("prompt \(c.prompt.debugDescription): differs from the f32 reference at token \(same) (reference gap \(c.greedy_margins[same])); comparing with llama.cpp")
        #expect(llama.hasPrefix(c.prompt + ours), "ours \(ours.debugDescription) vs llama.cpp \(llama.debugDescription)")
      }
    }
  }

  /// Perplexity as llama.cpp computes it, on the same windows: within 1% of
  /// both llama.cpp's value and the f32 reference (the two differ by 1.3%
  /// because llama.cpp multiplies with 8-bit activations and f16 KV cache).
  @Test func perplexityMatchesReference() throws {
    guard let m = try Self.model else { return }
    let ref = try Self.reference().perplexity
    let text = try String(contentsOf: Fixtures.url("perplexity.txt"), encoding: .utf8)
    let r = try m.perplexity(text, context: ref.context)
    print("perplexity \(r.perplexity) (numpy \(ref.numpy), llama.cpp \(ref.llama_cpp ?? .nan))")
    #expect(abs(r.perplexity - ref.numpy) / ref.numpy < 0.02)
    if let l = ref.llama_cpp { #expect(abs(r.perplexity - l) / l < 0.02) }
  }
}
