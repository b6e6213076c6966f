// A Llama-family model loaded from a GGUF file: weights stay memory-mapped.

import Foundation

/// The weights of one transformer block.
struct LlamaLayer: @unchecked Sendable {
  let attnNorm: [Float]
  let wq: Weight, wk: Weight, wv: Weight, wo: Weight
  let ffnNorm: [Float]
  let gate: Weight, up: Weight, down: Weight
}

/// A loaded model: configuration, tokenizer, chat template and weights.
public final class LlamaModel: @unchecked Sendable {
  /// The parsed file (its mapping keeps the weights alive).
  public let file: GGUFFile
  public let config: LlamaConfig
  public let tokenizer: Tokenizer
  /// The chat template from the file, if it is one this library understands.
  public let chatTemplate: ChatTemplate?
  /// The prompt template a Retort-trained file was trained with (`retort.train_template`).
  public var trainedTemplate: PromptTemplate? {
    file[TrainableLlama.trainTemplateKey]?.string.flatMap(PromptTemplate.init(rawValue:))
  }
  let embedding: Weight
  let output: Weight
  let outputNorm: [Float]
  let layers: [LlamaLayer]
  var ropeCache: RopeTable? = nil
  let ropeLock = NSLock()
  /// Set by `adapted(_:)`: the fingerprint of the base mixed with the adapters'.
  let adaptedFingerprint: String?
  /// 16 hex digits identifying the weights: the file's fingerprint (computed
  /// on demand: it reads a word of every page), or `adapted(_:)`'s.
  public var fingerprint: String { adaptedFingerprint ?? file.fingerprint }

  /// Loads `nameOrPath` (a path, or a known name such as "smollm2" in the model cache).
  /// `progress(done, total)` is called per layer; `isCancelled` can stop loading.
  public convenience init(_ nameOrPath: String, progress: ((Int, Int) -> Void)? = nil,
                          isCancelled: () -> Bool = { false }) throws {
    let path = try ModelCache.resolve(nameOrPath)
    try self.init(file: GGUFFile(path: path, requireSupportedTypes: true), progress: progress, isCancelled: isCancelled)
  }

  /// Builds a model from an opened GGUF file.
  public init(file: GGUFFile, progress: ((Int, Int) -> Void)? = nil, isCancelled: () -> Bool = { false }) throws {
    for t in file.tensors where !t.type.isSupported {
      throw ModelError("unsupported tensor type \(t.type.name) in \(t.name)")
    }
    self.file = file
    adaptedFingerprint = nil
    let c = try LlamaConfig(gguf: file)
    config = c
    tokenizer = try Tokenizer(gguf: file)
    chatTemplate = try? ChatTemplate(ggufTemplate: file["tokenizer.chat_template"]?.string)
    embedding = try Weight(file, "token_embd.weight", rows: c.vocabularySize, cols: c.dim)
    output = file.tensor("output.weight") != nil
      ? try Weight(file, "output.weight", rows: c.vocabularySize, cols: c.dim) : embedding
    outputNorm = try Weight(file, "output_norm.weight", rows: 1, cols: c.dim).vector()
    var layers: [LlamaLayer] = []
    for i in 0..<c.layers {
      if isCancelled() { throw ModelError("loading \(file.path) was cancelled") }
      func w(_ n: String, _ rows: Int, _ cols: Int) throws -> Weight { try Weight(file, "blk.\(i).\(n).weight", rows: rows, cols: cols) }
      layers.append(LlamaLayer(
        attnNorm: try w("attn_norm", 1, c.dim).vector(),
        wq: try w("attn_q", c.heads * c.headDim, c.dim), wk: try w("attn_k", c.kvDim, c.dim),
        wv: try w("attn_v", c.kvDim, c.dim), wo: try w("attn_output", c.dim, c.heads * c.headDim),
        ffnNorm: try w("ffn_norm", 1, c.dim).vector(),
        gate: try w("ffn_gate", c.ffnDim, c.dim), up: try w("ffn_up", c.ffnDim, c.dim),
        down: try w("ffn_down", c.dim, c.ffnDim)))
      progress?(i + 1, c.layers)
    }
    self.layers = layers
    guard tokenizer.vocabularySize == c.vocabularySize else {
      throw ModelError("\(file.path): tokenizer has \(tokenizer.vocabularySize) tokens but the model's vocabulary is \(c.vocabularySize)")
    }
  }

  /// `base` with other layer weights (same shapes), and other embedding and
  /// output weights when given, sharing everything else.
  init(base: LlamaModel, layers: [LlamaLayer], fingerprint: String, embedding: Weight? = nil, output: Weight? = nil) {
    file = base.file
    config = base.config
    tokenizer = base.tokenizer
    chatTemplate = base.chatTemplate
    let tied = base.output.name == base.embedding.name
    self.embedding = embedding ?? base.embedding
    self.output = output ?? (tied ? embedding ?? base.embedding : base.output)
    outputNorm = base.outputNorm
    self.layers = layers
    adaptedFingerprint = fingerprint
  }

  /// A fresh KV cache for up to `context` positions (default: min(2048, the model's context length)).
  public func makeCache(context: Int? = nil) throws -> KVCache {
    try KVCache(config: config, capacity: context ?? min(2048, config.contextLength))
  }
}
