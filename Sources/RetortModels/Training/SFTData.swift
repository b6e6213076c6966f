// Supervised fine-tuning data: instruction examples formatted with a prompt
// template (Alpaca with or without input, or the model's ChatML chat
// template), tokenized so that only the response and its end-of-sequence
// token carry loss; plain texts train on every token. Instruction examples
// longer than `seq` are truncated (as Alpaca's and BELLE's trainers do) and
// those left with nothing to score are skipped; `TrainDataStats` counts both.
// Examples become rows of `seq` tokens by packing (end to end, an example
// moved to the next row rather than split; only a text longer than a row
// spans rows) or padding (one example per row, padded with unscored
// positions).

/// One instruction-tuning example.
public struct InstructionExample: Sendable, Equatable, Codable {
  public var instruction: String
  public var input: String
  public var output: String
  public init(instruction: String, input: String = "", output: String) {
    self.instruction = instruction; self.input = input; self.output = output
  }
}

/// How instruction examples are turned into prompts.
public enum PromptTemplate: String, Sendable, Codable, CaseIterable {
  /// Stanford Alpaca's prompts (with and without an input field); response ends with EOS.
  case alpaca
  /// The model's chat template (ChatML); response ends with `<|im_end|>`.
  case chat
}

/// What to train on.
public enum TrainingData: Sendable {
  /// Instruction examples (prompt masked from the loss).
  case instructions([InstructionExample])
  /// Plain texts (every next token trained; EOS appended when the tokenizer has one).
  case text([String])
  /// Token sequences, every next token trained (pre-tokenized corpora, benchmarks).
  case tokens([[Int]])

  var count: Int {
    switch self {
    case .instructions(let e): return e.count
    case .text(let t): return t.count
    case .tokens(let t): return t.count
    }
  }
}

/// A tokenized example: tokens and, per position, the scored next token (-1 = none).
struct TokenizedExample {
  var tokens: [Int32]
  var targets: [Int32]
}

extension TrainableLlama {
  /// Alpaca's prompt for an example.
  public static func alpacaPrompt(_ e: InstructionExample) -> String {
    if e.input.isEmpty {
      return "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\n\(e.instruction)\n\n### Response:\n"
    }
    return "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\n\(e.instruction)\n\n### Input:\n\(e.input)\n\n### Response:\n"
  }

  /// The prompt text of `e` under `template`.
  public func prompt(_ e: InstructionExample, template: PromptTemplate) throws -> String {
    switch template {
    case .alpaca: return TrainableLlama.alpacaPrompt(e)
    case .chat:
      guard let chatTemplate else {
        throw ModelError("train: the model has no chat template; use template=\"alpaca\"")
      }
      let user = e.input.isEmpty ? e.instruction : e.instruction + "\n\n" + e.input
      return chatTemplate.render([ChatMessage(role: "user", content: user)], addGenerationPrompt: true)
    }
  }

  /// The token that ends a response under `template`.
  func endToken(_ template: PromptTemplate) throws -> Int {
    if template == .chat, let id = tokenizer.id(of: "<|im_end|>") { return id }
    guard let eos = tokenizer.eos else {
      throw ModelError("train: the tokenizer has no end-of-sequence token (a byte-level model needs vocab >= 259)")
    }
    return eos
  }

  /// Tokenizes `data`; prompt positions carry no loss.
  func tokenize(_ data: TrainingData, template: PromptTemplate) throws -> [TokenizedExample] {
    switch data {
    case .text(let texts):
      return texts.map { t in
        var toks = tokenizer.encode(t, addBOS: false)
        if let eos = tokenizer.eos { toks.append(eos) }
        let tg = toks.indices.map { $0 + 1 < toks.count ? Int32(toks[$0 + 1]) : -1 }
        return TokenizedExample(tokens: toks.map(Int32.init), targets: tg)
      }
    case .tokens(let rows):
      return try rows.map { toks in
        for t in toks where t < 0 || t >= config.vocabularySize {
          throw ModelError("train: token id \(t) is outside the vocabulary (0..<\(config.vocabularySize))")
        }
        let tg = toks.indices.map { $0 + 1 < toks.count ? Int32(toks[$0 + 1]) : -1 }
        return TokenizedExample(tokens: toks.map(Int32.init), targets: tg)
      }
    case .instructions(let examples):
      let end = try endToken(template)
      return try examples.map { e in
        let p = tokenizer.encode(try prompt(e, template: template))
        let r = tokenizer.encode(e.output, addBOS: false) + [end]
        let toks = p + r
        let tg = toks.indices.map { i -> Int32 in i + 1 >= p.count && i + 1 < toks.count ? Int32(toks[i + 1]) : -1 }
        return TokenizedExample(tokens: toks.map(Int32.init), targets: tg)
      }
    }
  }
}

/// What became of the training data: how many examples were truncated or
/// skipped, and how full the rows of one epoch are.
public struct TrainDataStats: Sendable, Equatable, Codable {
  /// Examples given.
  public var examples = 0
  /// Examples cut to `seq` tokens and still trained (their tail is not); not counted in `skipped`.
  public var truncated = 0
  /// Examples left with no scored token (the prompt fills `seq`): not trained.
  public var skipped = 0
  /// Texts longer than `seq` that span rows (packing of plain texts).
  public var spanning = 0
  /// Rows of `seq` tokens in the first epoch.
  public var rows = 0
  /// Trained (scored) tokens per epoch.
  public var scoredTokens = 0
  /// Fraction of row positions that hold tokens rather than padding.
  public var fill = 0.0
  /// Eval examples given, cut to `seq`, and left with nothing to score (0 without eval data).
  public var evalExamples = 0, evalTruncated = 0, evalSkipped = 0
  public init() {}
}

extension TokenizedExample {
  /// The example cut to its first `seq` tokens (each keeps its next-token target).
  func truncated(to seq: Int) -> TokenizedExample {
    tokens.count <= seq ? self : TokenizedExample(tokens: Array(tokens[0..<seq]), targets: Array(targets[0..<seq]))
  }
  var hasScoredToken: Bool { targets.contains { $0 >= 0 } }
}

extension Array where Element == TokenizedExample {
  /// Fits examples to rows of `seq`: truncates those longer than a row unless
  /// `spanRows` (packed plain texts may continue into the next row), and
  /// drops those with nothing left to score.
  func fitted(seq: Int, spanRows: Bool) -> (examples: [TokenizedExample], stats: TrainDataStats) {
    var stats = TrainDataStats()
    stats.examples = count
    var kept: [TokenizedExample] = []
    kept.reserveCapacity(count)
    for e in self {
      var e = e
      var cut = false
      if e.tokens.count > seq {
        if spanRows { stats.spanning += 1 } else { e = e.truncated(to: seq); cut = true }
      }
      // An example is counted once: skipped, or (still trained) truncated.
      if e.hasScoredToken {
        kept.append(e)
        if cut { stats.truncated += 1 }
      } else {
        stats.skipped += 1
      }
    }
    stats.scoredTokens = kept.reduce(0) { $0 + $1.targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
    return (kept, stats)
  }
}

/// Rows of exactly `seq` tokens and targets.
struct TokenRows {
  var tokens: [Int32] = []
  var targets: [Int32] = []
  /// Per token, the position in its row where its example starts.
  var starts: [Int32] = []
  /// Per row, how many positions precede its trailing padding: a batch of
  /// padded rows runs at the width of its longest (padding at a row's end
  /// carries no loss and nothing before it attends to it).
  var lengths: [Int] = []
  let seq: Int
  var count: Int { tokens.count / seq }

  /// Packs examples end to end into rows; an example that does not fit in
  /// what is left of a row starts the next one (the rest is padding), so it
  /// keeps its positions and its prompt. Only an example longer than `seq`
  /// (a plain text; instructions are truncated first) spans rows: it starts
  /// a row and is cut into rows of `seq`. Each token
  /// attends only within its own example (and row).
  static func packed(_ ex: [TokenizedExample], seq: Int, pad: Int32) -> TokenRows {
    var r = TokenRows(seq: seq)
    func padRow() {
      let used = r.tokens.count % seq
      guard used > 0 else { return }
      r.tokens += [Int32](repeating: pad, count: seq - used)
      r.targets += [Int32](repeating: -1, count: seq - used)
      r.starts += [Int32](repeating: Int32(used), count: seq - used)
    }
    for e in ex {
      let used = r.tokens.count % seq
      if used > 0 && used + e.tokens.count > seq { padRow() }
      let begin = r.tokens.count
      r.tokens += e.tokens
      r.targets += e.targets
      for i in begin..<r.tokens.count { r.starts.append(Int32(max(begin, i / seq * seq) - i / seq * seq)) }
    }
    padRow()
    // (Packed rows are full; padding there is only at the end of the data.)
    r.lengths = [Int](repeating: seq, count: r.count)
    return r
  }

  /// One example per row, truncated to `seq`, padded with unscored positions.
  static func padded(_ ex: [TokenizedExample], seq: Int, pad: Int32) -> TokenRows {
    var r = TokenRows(seq: seq)
    for e in ex {
      let n = min(seq, e.tokens.count)
      r.tokens += e.tokens[0..<n] + [Int32](repeating: pad, count: seq - n)
      r.targets += e.targets[0..<n] + [Int32](repeating: -1, count: seq - n)
      r.starts += [Int32](repeating: 0, count: seq)
      r.lengths.append(n)
    }
    return r
  }
}
