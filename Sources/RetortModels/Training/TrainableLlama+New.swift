// Creating a fresh model (`model.new(...)`): shape checks, a byte-level
// tokenizer by default, and GPT-2 style initialisation from a seed.

import RetortCompute

extension TrainableLlama {
  /// A new randomly initialised model with tied embeddings.
  /// - Parameters:
  ///   - vocab: vocabulary size (at least the tokenizer's; default byte-level tokenizer needs >= 256,
  ///     and >= 259 to have `<|endoftext|>`, `<|im_start|>`, `<|im_end|>`).
  ///   - context: context length; `layers`, `heads`, `kvHeads` (default `heads`), `dim`,
  ///     `hidden` (SwiGLU width); `seed` drives the initialisation.
  ///   - tokenizer: a tokenizer to use instead of the byte-level one (padded to `vocab`).
  public convenience init(vocab: Int = 259, context: Int = 256, layers: Int = 4, heads: Int = 4, kvHeads: Int? = nil,
                          dim: Int = 128, hidden: Int? = nil, ropeBase: Float = 10000, seed: Int = 0,
                          tokenizer: Tokenizer? = nil) throws {
    let kvh = kvHeads ?? heads
    let ffn = hidden ?? (8 * dim / 3 + 7) / 8 * 8
    func bad(_ what: String) -> ModelError { ModelError("model.new: \(what)") }
    guard vocab >= 1, vocab <= 1 << 22 else { throw bad("vocab must be in 1...4194304, got \(vocab)") }
    guard context >= 2, context <= 1 << 16 else { throw bad("context must be in 2...65536, got \(context)") }
    guard layers >= 1, layers <= 256 else { throw bad("layers must be in 1...256, got \(layers)") }
    guard heads >= 1, kvh >= 1, heads % kvh == 0 else {
      throw bad("heads (\(heads)) must be a positive multiple of kv_heads (\(kvh))")
    }
    guard dim >= 2, dim <= 1 << 14 else { throw bad("dim must be in 2...16384, got \(dim)") }
    guard dim % heads == 0, (dim / heads) % 2 == 0 else {
      throw bad("dim (\(dim)) must be a multiple of heads (\(heads)) with an even head width")
    }
    guard ffn >= 1, ffn <= 1 << 16 else { throw bad("hidden must be in 1...65536, got \(ffn)") }
    let tok: Tokenizer
    if let tokenizer {
      guard tokenizer.vocabularySize <= vocab else {
        throw bad("vocab (\(vocab)) is smaller than the tokenizer's \(tokenizer.vocabularySize) tokens")
      }
      tok = try tokenizer.padded(to: vocab)
    } else {
      guard vocab >= 256 else { throw bad("vocab must be at least 256 for the byte-level tokenizer, got \(vocab)") }
      tok = try Tokenizer.byteLevel(vocab: vocab)
    }
    let c = LlamaConfig(vocabularySize: vocab, dim: dim, layers: layers, heads: heads, kvHeads: kvh, ffnDim: ffn,
                        contextLength: context, ropeBase: ropeBase)
    let template: ChatTemplate? = tok.id(of: "<|im_start|>") != nil && tok.id(of: "<|im_end|>") != nil
      ? .chatML(defaultSystem: nil) : nil
    try self.init(config: c, tokenizer: tok, chatTemplate: template, tiedOutput: true)
    initialise(seed: seed)
  }

  /// GPT-2 style initialisation: N(0, 0.02) for matrices, scaled by
  /// 1/sqrt(2L) for the projections that write the residual stream; norm scales 1.
  func initialise(seed: Int) {
    let rng = CounterRNG(seed: seed)
    let residualScale = 1 / Float(2 * config.layers).squareRoot()
    for p in params {
      let dst = values.pointer + p.offset
      if !p.decay {
        dst.update(repeating: 1, count: p.count)
        continue
      }
      let std: Float = (p.name.hasSuffix("attn_output.weight") || p.name.hasSuffix("ffn_down.weight"))
        ? 0.02 * residualScale : 0.02
      let base = p.offset
      WorkerPool.current.parallelRanges(p.count, grain: 1 << 16) { r in
        for i in r { dst[i] = rng.normal(base + i) * std }
      }
    }
  }
}

extension Tokenizer {
  /// A byte-level tokenizer: one token per byte, then `<|endoftext|>` (EOS),
  /// `<|im_start|>` and `<|im_end|>` when `vocab` >= 259, then unused tokens up to `vocab`.
  public static func byteLevel(vocab: Int = 259) throws -> Tokenizer {
    guard vocab >= 256 else { throw ModelError("a byte-level tokenizer needs a vocabulary of at least 256, got \(vocab)") }
    var tokens = ByteUnicode.encoder.map { String(Character($0)) }
    var types = [TokenType](repeating: .normal, count: 256)
    var eos: Int? = nil
    if vocab >= 259 {
      eos = 256
      tokens += ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
      types += [.control, .control, .control]
    }
    while tokens.count < vocab {
      tokens.append("<|unused_\(tokens.count)|>")
      types.append(.unused)
    }
    return try Tokenizer(tokens: tokens, types: types, merges: [], pre: .gpt2, bos: nil, eos: eos, addBOS: false)
  }

  /// The merge list in rank order ("left right" token strings).
  var mergeList: [String] {
    merges.sorted { $0.value.rank < $1.value.rank }.map { key, _ in
      "\(tokens[Int(key >> 32)]) \(tokens[Int(key & 0xffff_ffff)])"
    }
  }

  /// This tokenizer with unused tokens appended up to `vocab` entries.
  func padded(to vocab: Int) throws -> Tokenizer {
    if vocab == vocabularySize { return self }
    var toks = tokens, tys = types
    while toks.count < vocab {
      toks.append("<|unused_\(toks.count)|>")
      tys.append(.unused)
    }
    return try Tokenizer(tokens: toks, types: tys, merges: mergeList, pre: pre, bos: bos, eos: eos, addBOS: addBOS)
  }
}
