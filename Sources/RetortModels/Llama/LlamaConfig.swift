// Hyper-parameters of a Llama-family model, read from GGUF metadata.

/// Shape of a Llama-architecture model.
public struct LlamaConfig: Sendable, Equatable {
  public var vocabularySize: Int
  /// Model width (`embedding_length`).
  public var dim: Int
  public var layers: Int
  public var heads: Int
  public var kvHeads: Int
  public var headDim: Int
  /// Feed-forward width.
  public var ffnDim: Int
  /// Context length the model was trained for.
  public var contextLength: Int
  public var ropeBase: Float
  /// Number of dimensions of each head that are rotated.
  public var ropeDim: Int
  public var normEps: Float

  public init(vocabularySize: Int, dim: Int, layers: Int, heads: Int, kvHeads: Int, ffnDim: Int,
              contextLength: Int, ropeBase: Float = 10000, ropeDim: Int? = nil, normEps: Float = 1e-5) {
    self.vocabularySize = vocabularySize; self.dim = dim; self.layers = layers
    self.heads = heads; self.kvHeads = kvHeads; self.headDim = heads > 0 ? dim / heads : 0
    self.ffnDim = ffnDim; self.contextLength = contextLength; self.ropeBase = ropeBase
    self.ropeDim = ropeDim ?? (heads > 0 ? dim / heads : 0); self.normEps = normEps
  }

  /// KV width (kvHeads * headDim).
  public var kvDim: Int { kvHeads * headDim }

  /// Reads the `<arch>.*` keys of a GGUF file (architecture `llama`).
  public init(gguf f: GGUFFile) throws {
    let arch = try f.string("general.architecture")
    guard arch == "llama" else {
      throw ModelError("\(f.path): architecture '\(arch)' is not supported (only llama-family models)")
    }
    let p = arch + "."
    let dim = try f.int(p + "embedding_length")
    let heads = try f.int(p + "attention.head_count")
    let kvHeads = f[p + "attention.head_count_kv"]?.int ?? heads
    var vocab = f[p + "vocab_size"]?.int ?? 0
    if vocab == 0, let toks = f["tokenizer.ggml.tokens"]?.array { vocab = toks.count }
    self.init(vocabularySize: vocab, dim: dim, layers: try f.int(p + "block_count"), heads: heads,
              kvHeads: kvHeads, ffnDim: try f.int(p + "feed_forward_length"),
              contextLength: f[p + "context_length"]?.int ?? 2048,
              ropeBase: Float(f[p + "rope.freq_base"]?.double ?? 10000),
              ropeDim: f[p + "rope.dimension_count"]?.int,
              normEps: Float(f[p + "attention.layer_norm_rms_epsilon"]?.double ?? 1e-5))
    if let broken = shapeProblem {
      throw ModelError("\(f.path): inconsistent model shape: \(broken) (dim \(dim), heads \(heads), kv heads \(kvHeads), layers \(layers), ffn \(ffnDim), vocab \(vocabularySize), rope dim \(ropeDim))")
    }
    guard contextLength >= 1, contextLength <= 1 << 24 else {
      throw ModelError("\(f.path): \(p)context_length is \(contextLength); expected 1...16777216")
    }
    if let problem = scalarProblem(ropeKey: p + "rope.freq_base", epsKey: p + "attention.layer_norm_rms_epsilon") {
      throw ModelError("\(f.path): \(problem)")
    }
  }

  /// The first rule of a Llama shape these sizes break, or nil.
  var shapeProblem: String? {
    let rules: [(Bool, String)] = [
      (dim > 0 && dim <= 1 << 16, "the embedding width must be in 1...65536"),
      (heads > 0, "the head count must be positive"),
      (kvHeads > 0 && heads % max(1, kvHeads) == 0, "the KV head count must divide the head count"),
      (dim % max(1, heads) == 0, "the head count must divide the embedding width"),
      (layers > 0 && layers <= 1024, "the layer count must be in 1...1024"),
      (ffnDim > 0 && ffnDim <= 1 << 18, "the feed-forward width must be in 1...262144"),
      (vocabularySize > 0 && vocabularySize <= 1 << 22, "the vocabulary must have 1...4194304 tokens"),
      (ropeDim > 0 && ropeDim <= headDim && ropeDim % 2 == 0, "the RoPE width must be even and at most the head width"),
    ]
    return rules.first { !$0.0 }?.1
  }

  /// What is wrong with the RoPE base or the norm epsilon, named by the file's
  /// keys, when either would turn every logit into NaN; nil when both are sane.
  public func scalarProblem(ropeKey: String, epsKey: String) -> String? {
    if !(ropeBase.isFinite && ropeBase > 1) { return "\(ropeKey) is \(ropeBase); expected a finite number above 1" }
    if !(normEps.isFinite && normEps >= 0) { return "\(epsKey) is \(normEps); expected a finite number of at least 0" }
    return nil
  }
}
