// A Llama-style model whose weights live in one flat f32 buffer so that
// they can be trained: created fresh (`TrainableLlama(new:)`), copied from a
// loaded GGUF model, or read back from a checkpoint. Inference through the
// loader's code path goes via `makeLlamaModel()` (see Checkpoint/).
//
// Shape legend used by every file in Training/:
//   V vocabulary, D width, L layers, H heads, KH kv heads, hd head width,
//   Q = H*hd, KV = KH*hd, F feed-forward width, B batch rows, T sequence
//   length, N = B*T token rows. Linear weights are [out, in] row-major
//   (GGUF layout: row r = output feature r); y[N, out] = x[N, in] W^T.

import RetortCompute

/// The seven linear projections of a block (also the LoRA target names).
public enum LinearKind: String, CaseIterable, Sendable, Codable {
  case q, k, v, o, gate, up, down

  /// GGUF tensor name stem (`attn_q`, `ffn_gate`, ...).
  var ggufName: String {
    switch self {
    case .q: return "attn_q"
    case .k: return "attn_k"
    case .v: return "attn_v"
    case .o: return "attn_output"
    case .gate: return "ffn_gate"
    case .up: return "ffn_up"
    case .down: return "ffn_down"
    }
  }

  /// Hugging Face module path inside a Llama decoder layer.
  var hfName: String {
    switch self {
    case .q: return "self_attn.q_proj"
    case .k: return "self_attn.k_proj"
    case .v: return "self_attn.v_proj"
    case .o: return "self_attn.o_proj"
    case .gate: return "mlp.gate_proj"
    case .up: return "mlp.up_proj"
    case .down: return "mlp.down_proj"
    }
  }

  /// [out, in] of this projection for `c`.
  func shape(_ c: LlamaConfig) -> (rows: Int, cols: Int) {
    let q = c.heads * c.headDim
    switch self {
    case .q: return (q, c.dim)
    case .k, .v: return (c.kvDim, c.dim)
    case .o: return (c.dim, q)
    case .gate, .up: return (c.ffnDim, c.dim)
    case .down: return (c.dim, c.ffnDim)
    }
  }

  /// Parses "q", "q_proj", "gate_proj", ... (as PEFT names targets).
  public init?(name: String) {
    let n = name.hasSuffix("_proj") ? String(name.dropLast(5)) : name
    self.init(rawValue: n)
  }
}

/// A linear weight of the model: an f32 slice of the parameter buffer, or a
/// frozen quantized matrix (the base of a QLoRA-style run).
struct LinearSlot {
  let rows: Int, cols: Int
  /// Offset in the parameter buffer (f32 weights).
  var offset: Int?
  /// Frozen quantized weights (no f32 copy).
  var quant: QuantizedMatrix?
}

/// One tensor of the flat parameter buffer.
public struct ParamInfo: Sendable {
  /// GGUF-style name (`blk.0.attn_q.weight`).
  public let name: String
  /// [rows, cols] ([1, D] for norm scales).
  public let rows: Int, cols: Int
  /// Offset in floats.
  public let offset: Int
  /// Whether AdamW's weight decay applies (matrices yes, norm scales no).
  public let decay: Bool
  public var count: Int { rows * cols }
}

/// A trainable Llama-architecture model (RMS norm, RoPE, SwiGLU, GQA).
public final class TrainableLlama: @unchecked Sendable {
  /// Shape of the model.
  public internal(set) var config: LlamaConfig
  /// Its tokenizer (byte-level for new models).
  public internal(set) var tokenizer: Tokenizer
  /// Chat template used for `template: .chat` and for exported files.
  public internal(set) var chatTemplate: ChatTemplate?
  /// Whether the output projection is the token embedding (tied) in the base
  /// weights (`outputTied`: with the adapters too).
  public internal(set) var tiedOutput: Bool
  /// Every f32 tensor, in buffer order.
  public internal(set) var params: [ParamInfo]
  /// The parameter values.
  var values: FloatBuffer
  /// Linear weights per layer, indexed by `LinearKind` order.
  var linears: [[LinearSlot]]
  /// Offsets of named tensors.
  var index: [String: Int]
  /// Extra GGUF metadata carried from a loaded file (tokenizer.*, general.*).
  var carriedMetadata: [(key: String, value: GGUFValue)] = []
  /// The prompt template the weights were last trained with (train sets it); saved
  /// files keep it as `retort.train_template`, so a reloaded model answers in it.
  public var trainedTemplate: PromptTemplate?
  /// The metadata key (GGUF and safetensors) of `trainedTemplate`.
  public static let trainTemplateKey = "retort.train_template"
  /// Attached LoRA adapters, if any.
  public internal(set) var lora: LoRAAdapters?

  /// Builds the layout for `config`; linear kinds in `quantized` take the
  /// given frozen matrices instead of f32 storage.
  init(config c: LlamaConfig, tokenizer: Tokenizer, chatTemplate: ChatTemplate?, tiedOutput: Bool,
       quantized: [[QuantizedMatrix?]]? = nil) throws {
    config = c
    self.tokenizer = tokenizer
    self.chatTemplate = chatTemplate
    self.tiedOutput = tiedOutput
    var params: [ParamInfo] = []
    var total = 0
    func add(_ name: String, _ rows: Int, _ cols: Int, decay: Bool) -> Int {
      params.append(ParamInfo(name: name, rows: rows, cols: cols, offset: total, decay: decay))
      total += rows * cols
      return total - rows * cols
    }
    _ = add("token_embd.weight", c.vocabularySize, c.dim, decay: true)
    var linears: [[LinearSlot]] = []
    for l in 0..<c.layers {
      _ = add("blk.\(l).attn_norm.weight", 1, c.dim, decay: false)
      var slots: [LinearSlot] = []
      for (ki, kind) in LinearKind.allCases.enumerated() {
        if kind == .gate { _ = add("blk.\(l).ffn_norm.weight", 1, c.dim, decay: false) }
        let s = kind.shape(c)
        if let q = quantized?[l][ki] {
          slots.append(LinearSlot(rows: s.rows, cols: s.cols, offset: nil, quant: q))
        } else {
          let off = add("blk.\(l).\(kind.ggufName).weight", s.rows, s.cols, decay: true)
          slots.append(LinearSlot(rows: s.rows, cols: s.cols, offset: off, quant: nil))
        }
      }
      linears.append(slots)
    }
    _ = add("output_norm.weight", 1, c.dim, decay: false)
    if !tiedOutput { _ = add("output.weight", c.vocabularySize, c.dim, decay: true) }
    do {
      // The f32 values, and the copies the forward pass reads: a new model
      // takes about 13.5 bytes per parameter before it trains.
      try Memory.check(count: total, elementSize: 16, what: "model parameters")
    } catch {
      throw ModelError("cannot allocate \(total) parameters: \(error)")
    }
    self.params = params
    self.linears = linears
    values = FloatBuffer(count: total)
    values.pointer.update(repeating: 0, count: total)
    var index: [String: Int] = [:]
    for p in params { index[p.name] = p.offset }
    self.index = index
  }

  /// Number of f32 parameters stored (excluding frozen quantized weights and adapters).
  public var parameterCount: Int { params.reduce(0) { $0 + $1.count } }

  /// Number of parameters in the model, quantized ones included.
  public var totalParameterCount: Int {
    parameterCount + linears.joined().reduce(0) { $0 + ($1.quant != nil ? $1.rows * $1.cols : 0) }
  }

  /// Whether any linear weight is a frozen quantized matrix.
  public var hasQuantizedBase: Bool { linears.joined().contains { $0.quant != nil } }

  /// Tokens added by `extendVocab` that no full fine-tuning has trained yet:
  /// their embeddings are still the mean row (LoRA does not train them).
  public internal(set) var untrainedTokens = 0

  /// Counts changes to the base weights or vocabulary (not the adapters):
  /// an inference model built from the same base stays valid while it holds.
  public internal(set) var baseRevision = 0

  /// Pointer to tensor `name`'s values (nil if absent or quantized).
  func pointer(_ name: String) -> UnsafeMutablePointer<Float>? {
    index[name].map { values.pointer + $0 }
  }

  /// The f32 values of tensor `name` ([rows*cols], row-major); quantized
  /// weights are dequantized. Throws for an unknown name.
  public func tensorValues(_ name: String) throws -> [Float] {
    if let p = params.first(where: { $0.name == name }) {
      return Array(UnsafeBufferPointer(start: values.pointer + p.offset, count: p.count))
    }
    for (l, slots) in linears.enumerated() {
      for (ki, kind) in LinearKind.allCases.enumerated() where "blk.\(l).\(kind.ggufName).weight" == name {
        if let q = slots[ki].quant {
          let t = try q.dequantize()
          return t.toArray()
        }
      }
    }
    throw ModelError("model has no tensor named \(name)")
  }

  /// Replaces tensor `name`'s values (same count).
  public func setTensorValues(_ name: String, _ v: [Float]) throws {
    guard let p = params.first(where: { $0.name == name }) else {
      throw ModelError("model has no f32 tensor named \(name)")
    }
    guard v.count == p.count else {
      throw ModelError("tensor \(name) has \(p.count) values, got \(v.count)")
    }
    v.withUnsafeBufferPointer { b in
      if let base = b.baseAddress { (values.pointer + p.offset).update(from: base, count: p.count) }
    }
    baseRevision += 1
  }

  /// The f32 weight pointer of linear `kind` in layer `l` (nil when quantized).
  func linearPointer(_ l: Int, _ kind: LinearKind) -> UnsafeMutablePointer<Float>? {
    linears[l][kind.index].offset.map { values.pointer + $0 }
  }

  /// The token embeddings the model computes with: the adapters' trained copy when they have one.
  var embedding: UnsafeMutablePointer<Float> { lora?.copy("token_embd.weight") ?? values.pointer }
  var outputWeight: UnsafeMutablePointer<Float> {
    if let c = lora?.copy("output.weight") { return c }
    if tiedOutput { return embedding }
    return values.pointer + (index["output.weight"] ?? 0)
  }
  /// Whether the model computes its logits with the embedding matrix: tied,
  /// and no adapters train the output layer apart (`LoRAOptions.untiedOutput`).
  public var outputTied: Bool { tiedOutput && lora?.copy("output.weight") == nil }

  /// Tensor `name` as the model computes with it: the adapters' copy of an
  /// embedding or output layer when they train one, else `tensorValues`
  /// (projections: see `mergedWeight`).
  func effectiveValues(_ name: String) throws -> [Float] {
    if let lora, let p = lora.params.first(where: { $0.name == name }), let c = lora.copy(name) {
      return Array(UnsafeBufferPointer(start: c, count: p.count))
    }
    return try tensorValues(name)
  }
}

extension LinearKind {
  /// Position in `allCases`.
  var index: Int {
    switch self {
    case .q: return 0
    case .k: return 1
    case .v: return 2
    case .o: return 3
    case .gate: return 4
    case .up: return 5
    case .down: return 6
    }
  }
}
