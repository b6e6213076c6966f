// Vocabulary extension, as BELLE's LLaMA-EXT did: new tokens are added to
// the tokenizer (matched whole in text before BPE, like Hugging Face's
// added tokens) and the embedding grows, each new row the mean of the old
// rows (the output projection too when untied).

extension TrainableLlama {
  /// Adds `pieces` not already in the vocabulary; returns how many were added.
  @discardableResult
  public func extendVocab(_ pieces: [String]) throws -> Int {
    guard lora == nil else { throw ModelError("extend_vocab: unload or merge the LoRA adapters first") }
    var seen = Set(tokenizer.tokens)
    var added: [String] = []
    for p in pieces where !p.isEmpty && !seen.contains(p) && tokenizer.id(of: p) == nil {
      // Skip pieces the tokenizer already encodes as one token.
      if tokenizer.encode(p, addBOS: false).count == 1 { continue }
      seen.insert(p)
      added.append(p)
    }
    try appendTokens(added)
    return added.count
  }

  /// Appends `added` (new pieces) as user-defined tokens, in order, growing the embedding.
  func appendTokens(_ added: [String]) throws {
    guard !added.isEmpty else { return }
    let t = tokenizer
    let newTok = try Tokenizer(tokens: t.tokens + added, types: t.types + added.map { _ in .userDefined },
                               merges: t.mergeList, pre: t.pre, bos: t.bos, eos: t.eos, addBOS: t.addBOS)
    let oldV = config.vocabularySize
    var c = config
    c.vocabularySize = oldV + added.count
    let quant = hasQuantizedBase ? linears.map { $0.map { $0.quant } } : nil
    let wide = try TrainableLlama(config: c, tokenizer: newTok, chatTemplate: chatTemplate, tiedOutput: tiedOutput, quantized: quant)
    for p in params {
      var v = try tensorValues(p.name)
      if p.name == "token_embd.weight" || p.name == "output.weight" {
        var mean = [Double](repeating: 0, count: p.cols)
        for r in 0..<p.rows { for j in 0..<p.cols { mean[j] += Double(v[r * p.cols + j]) } }
        let row = mean.map { Float($0 / Double(p.rows)) }
        for _ in added { v += row }
      }
      try wide.setTensorValues(p.name, v)
    }
    config = c
    tokenizer = newTok
    params = wide.params
    values = wide.values
    linears = wide.linears
    index = wide.index
    carriedMetadata.removeAll { $0.key.hasPrefix("tokenizer.ggml.") }
    baseRevision += 1
    untrainedTokens += added.count
  }

  /// What `extendVocab(from:)` did with a trained tokenizer's pieces.
  public struct VocabExtension: Sendable {
    /// Pieces added as tokens.
    public var added = 0
    /// Pieces skipped because they are part of a UTF-8 character (a byte-level
    /// BPE learns half characters; as whole-text tokens they cannot be matched).
    public var partial = 0
    /// All-ASCII pieces skipped because this vocabulary has learnt merges:
    /// added tokens are matched before BPE, so " 2" or "retur" would cut
    /// English text the model already reads well into unfamiliar pieces.
    public var ascii = 0
  }

  /// Adds the tokens of `other` (a trained tokenizer) that decode to text this
  /// tokenizer needs several tokens for, as whole pieces. All-ASCII pieces are
  /// added only when `ascii` is true or this tokenizer has no merges of its own
  /// (a byte-level model, which gains from them).
  @discardableResult
  public func extendVocab(from other: Tokenizer, ascii: Bool? = nil) throws -> VocabExtension {
    let keepASCII = ascii ?? tokenizer.mergeList.isEmpty
    var report = VocabExtension()
    var pieces: [String] = []
    for id in 0..<other.vocabularySize where other.types[id] == .normal {
      let p = other.piece(id)
      if p.contains("\u{FFFD}") { report.partial += 1; continue }
      if !keepASCII, p.unicodeScalars.allSatisfy(\.isASCII) {
        if tokenizer.encode(p, addBOS: false).count > 1 { report.ascii += 1 }
        continue
      }
      pieces.append(p)
    }
    report.added = try extendVocab(pieces)
    return report
  }
}
