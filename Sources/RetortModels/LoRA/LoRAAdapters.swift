// LoRA adapters (Hu et al.): for a target projection W [out, in],
// y = x W^T + (alpha / r) * dropout(x) A^T B^T with A [r, in] and B [out, r].
// A starts as PEFT does (uniform in +-1/sqrt(in), Kaiming with a = sqrt(5)),
// B starts at zero, so a fresh adapter leaves the model's outputs unchanged.

import RetortCompute

/// How adapters are attached.
public struct LoRAOptions: Sendable, Equatable {
  /// Rank r.
  public var rank: Int
  /// Scaling numerator: the update is scaled by alpha / r.
  public var alpha: Float
  /// Dropout probability on the adapter's input during training.
  public var dropout: Float
  /// Projections that get adapters.
  public var targets: [LinearKind]
  /// Seed for A's initialisation and the dropout masks.
  public var seed: Int
  /// Also train a copy of the token embeddings (and of an untied output
  /// layer) beside the adapters, as PEFT's `modules_to_save` does: what new
  /// tokens from `extend_vocab` need. The base embeddings stay as they are.
  public var trainEmbeddings: Bool
  /// With `trainEmbeddings` on a model whose output layer is its embedding
  /// (tied): keep a second copy for the output layer, trained apart, as PEFT
  /// does when `modules_to_save` lists both embed_tokens and lm_head. Loading
  /// such an adapter sets it; merging it unties the model.
  public var untiedOutput: Bool

  public init(rank: Int = 8, alpha: Float = 16, dropout: Float = 0, targets: [LinearKind] = LinearKind.allCases,
              seed: Int = 0, trainEmbeddings: Bool = false, untiedOutput: Bool = false) {
    self.rank = rank; self.alpha = alpha; self.dropout = dropout; self.targets = targets; self.seed = seed
    self.trainEmbeddings = trainEmbeddings
    self.untiedOutput = untiedOutput
  }

  /// Checks the values, naming the bad argument.
  func validate() throws {
    guard rank >= 1, rank <= 4096 else { throw ModelError("lora: r must be in 1...4096, got \(rank)") }
    guard alpha.isFinite, alpha > 0 else { throw ModelError("lora: alpha must be a positive number, got \(alpha)") }
    guard dropout >= 0, dropout < 1 else { throw ModelError("lora: dropout must be in [0, 1), got \(dropout)") }
    guard !targets.isEmpty else { throw ModelError("lora: targets must name at least one of q, k, v, o, gate, up, down") }
  }
}

/// The adapters of a model: A and B for every (layer, target), in one f32 buffer.
public final class LoRAAdapters: @unchecked Sendable {
  /// Options they were created with.
  public let options: LoRAOptions
  /// alpha / r.
  public var scale: Float { options.alpha / Float(options.rank) }
  /// Tensors in buffer order (`blk.L.attn_q.lora_a`, `..lora_b`).
  public let params: [ParamInfo]
  /// (A offset, B offset) per layer and `LinearKind` index, nil where not targeted.
  let slots: [[(a: Int, b: Int)?]]
  /// With `trainEmbeddings`: offsets of the trained copies of `token_embd.weight`
  /// and (untied models, or `untiedOutput`) `output.weight`, after the adapters.
  let copies: [String: Int]
  let values: FloatBuffer

  /// Layout for `config` with zero values (embedding copies too: the caller fills them).
  init(config c: LlamaConfig, options: LoRAOptions, tiedOutput: Bool = true) throws {
    try options.validate()
    self.options = options
    var params: [ParamInfo] = []
    var slots: [[(a: Int, b: Int)?]] = []
    var total = 0
    let targets = Set(options.targets)
    for l in 0..<c.layers {
      var row: [(a: Int, b: Int)?] = []
      for kind in LinearKind.allCases {
        guard targets.contains(kind) else { row.append(nil); continue }
        let s = kind.shape(c)
        let a = total
        params.append(ParamInfo(name: "blk.\(l).\(kind.ggufName).lora_a", rows: options.rank, cols: s.cols, offset: a, decay: true))
        total += options.rank * s.cols
        let b = total
        params.append(ParamInfo(name: "blk.\(l).\(kind.ggufName).lora_b", rows: s.rows, cols: options.rank, offset: b, decay: true))
        total += s.rows * options.rank
        row.append((a, b))
      }
      slots.append(row)
    }
    var copies: [String: Int] = [:]
    if options.trainEmbeddings {
      for name in tiedOutput && !options.untiedOutput ? ["token_embd.weight"] : ["token_embd.weight", "output.weight"] {
        params.append(ParamInfo(name: name, rows: c.vocabularySize, cols: c.dim, offset: total, decay: true))
        copies[name] = total
        total += c.vocabularySize * c.dim
      }
    }
    self.params = params
    self.slots = slots
    self.copies = copies
    values = FloatBuffer(count: total)
    values.pointer.update(repeating: 0, count: total)
  }

  /// Fresh adapters: A uniform in +-1/sqrt(in) from the seed, B zero.
  static func fresh(config: LlamaConfig, options: LoRAOptions, tiedOutput: Bool = true) throws -> LoRAAdapters {
    let a = try LoRAAdapters(config: config, options: options, tiedOutput: tiedOutput)
    let rng = CounterRNG(seed: options.seed)
    for p in a.params where p.name.hasSuffix("lora_a") {
      let bound = 1 / Float(p.cols).squareRoot()
      let dst = a.values.pointer + p.offset
      for i in 0..<p.count { dst[i] = (2 * rng.uniform(p.offset + i) - 1) * bound }
    }
    return a
  }

  /// Number of trainable adapter parameters.
  public var parameterCount: Int { params.reduce(0) { $0 + $1.count } }

  /// The trained copy of `name` (`token_embd.weight`, `output.weight`), if any.
  func copy(_ name: String) -> UnsafeMutablePointer<Float>? { copies[name].map { values.pointer + $0 } }

  /// Pointers to A [r, in] and B [out, r] of (layer, kind), if targeted.
  func pair(_ l: Int, _ kind: LinearKind) -> (a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>)? {
    slots[l][kind.index].map { (values.pointer + $0.a, values.pointer + $0.b) }
  }
}
