// GGUF export of a trainable model (F32, F16, Q8_0, Q4_0 or Q4_1 weights,
// norms always F32), readable by this library's loader and by llama.cpp.
// Attached LoRA adapters are merged into the written weights. Also the
// bridge to inference: `makeLlamaModel()` runs the trained weights through
// exactly the loader and forward pass used for downloaded models.

import Foundation
import RetortCompute
import RetortFiles

extension TrainableLlama {
  /// The GGUF file contents for this model with weights encoded as `type`
  /// (`f32`, `f16`, `q8_0`, `q4_0`, `q4_1`). Matrices whose rows are not a
  /// multiple of 32 fall back to F16 for block types, as llama.cpp's quantizer does.
  /// With a 4-bit type the embeddings and the output layer are written as Q8_0,
  /// as in the reference SmolLM2 Q4_1 file: 4 bits there cost SmolLM2 about 7%
  /// perplexity, and a loaded Q8_0 embedding is rewritten without loss.
  public func ggufWriter(type: GGMLType = .f32) throws -> GGUFWriter {
    guard [GGMLType.f32, .f16, .q8_0, .q4_0, .q4_1].contains(type) else {
      throw ModelError("save: quant must be one of f32, f16, q8_0, q4_0, q4_1, got \(type.name)")
    }
    let c = config
    var w = GGUFWriter()
    w.set("general.architecture", .string("llama"))
    w.set("general.name", .string(carriedMetadata.first { $0.key == "general.name" }?.value.string ?? "retort-trained"))
    w.set("general.file_type", .uint32(type == .f32 ? 0 : type == .f16 ? 1 : type == .q4_0 ? 2 : type == .q4_1 ? 3 : 7))
    // As llama.cpp's quantizer writes it: the version of the block formats (Q4_0, Q4_1 and Q8_0 are at 2).
    if type != .f32 && type != .f16 { w.set("general.quantization_version", .uint32(2)) }
    w.set("llama.vocab_size", .uint32(UInt32(c.vocabularySize)))
    w.set("llama.context_length", .uint32(UInt32(c.contextLength)))
    w.set("llama.embedding_length", .uint32(UInt32(c.dim)))
    w.set("llama.block_count", .uint32(UInt32(c.layers)))
    w.set("llama.feed_forward_length", .uint32(UInt32(c.ffnDim)))
    w.set("llama.attention.head_count", .uint32(UInt32(c.heads)))
    w.set("llama.attention.head_count_kv", .uint32(UInt32(c.kvHeads)))
    w.set("llama.rope.freq_base", .float32(c.ropeBase))
    w.set("llama.rope.dimension_count", .uint32(UInt32(c.ropeDim)))
    w.set("llama.attention.layer_norm_rms_epsilon", .float32(c.normEps))
    for (k, v) in tokenizerMetadata() { w.set(k, v) }
    if let t = trainedTemplate { w.set(TrainableLlama.trainTemplateKey, .string(t.rawValue)) }

    func put(_ name: String, rows: Int, cols: Int, values v: [Float], matrix: Bool) throws {
      let keepEight = (type == .q4_0 || type == .q4_1) && (name == "token_embd.weight" || name == "output.weight")
      let want = keepEight ? GGMLType.q8_0 : type
      let t: GGMLType = !matrix ? .f32 : (want.blockSize > 1 && cols % want.blockSize != 0 ? .f16 : want)
      try w.add(tensor: name, shape: matrix ? [cols, rows] : [cols], type: t, values: v)
    }
    // Everything but the projections, which follow (a norm is [1, dim]; so is a projection with one output).
    for p in params where !p.name.hasPrefix("blk.") || p.name.hasSuffix("_norm.weight") {
      try put(p.name, rows: p.rows, cols: p.cols, values: try effectiveValues(p.name), matrix: p.rows > 1)
    }
    // Adapters that trained a tied model's output layer apart write it untied.
    if !outputTied && tiedOutput {
      try put("output.weight", rows: c.vocabularySize, cols: c.dim, values: try effectiveValues("output.weight"), matrix: true)
    }
    for l in 0..<c.layers {
      for kind in LinearKind.allCases {
        let s = kind.shape(c)
        let name = "blk.\(l).\(kind.ggufName).weight"
        if lora?.pair(l, kind) == nil, let q = linears[l][kind.index].quant, q.type.ggml == type {
          try w.add(tensor: name, shape: [s.cols, s.rows], type: type, data: Array(q.data))
        } else {
          try put(name, rows: s.rows, cols: s.cols, values: try mergedWeight(l, kind), matrix: true)
        }
      }
    }
    return w
  }

  /// Writes a GGUF file atomically (an interrupted save leaves any previous file intact).
  /// Returns how many tensors went as each type (a block type falls back to F16 where rows do
  /// not divide into blocks, and norms stay F32).
  @discardableResult
  public func saveGGUF(_ path: String, type: GGMLType = .f32) throws -> [GGMLType: Int] {
    let w = try ggufWriter(type: type)
    try AtomicFile.write(w.encoded(), to: path)
    return w.tensors.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
  }

  /// This model (LoRA merged) as a `LlamaModel`, through an F32 GGUF built
  /// in memory and the ordinary loader, so generation, chat and perplexity
  /// run the same code as for downloaded models.
  public func makeLlamaModel() throws -> LlamaModel {
    let bytes = try ggufWriter(type: .f32).encoded()
    return try LlamaModel(file: GGUFFile(file: MappedFile(bytes: bytes, name: "the model"), requireSupportedTypes: true))
  }

  /// The tokenizer and chat-template keys: carried over from a loaded file, or built from `tokenizer`.
  func tokenizerMetadata() -> [(String, GGUFValue)] {
    let carried = carriedMetadata.filter { $0.key.hasPrefix("tokenizer.") }
    if !carried.isEmpty, carried.contains(where: { $0.key == "tokenizer.ggml.tokens" }),
       (carried.first { $0.key == "tokenizer.ggml.tokens" }?.value.array?.count ?? 0) == tokenizer.vocabularySize {
      return carried.map { ($0.key, $0.value) }
    }
    let t = tokenizer
    var out: [(String, GGUFValue)] = [
      ("tokenizer.ggml.model", .string("gpt2")),
      ("tokenizer.ggml.pre", .string(t.pre == .gpt2 ? "gpt-2" : t.pre.rawValue)),  // llama.cpp spells it gpt-2
      ("tokenizer.ggml.tokens", .array(of: .string, t.tokens.map { .string($0) })),
      ("tokenizer.ggml.token_type", .array(of: .int32, t.types.map { .int32(Int32($0.rawValue)) })),
      ("tokenizer.ggml.merges", .array(of: .string, t.mergeList.map { .string($0) })),
      ("tokenizer.ggml.add_bos_token", .bool(t.addBOS)),
    ]
    if let b = t.bos { out.append(("tokenizer.ggml.bos_token_id", .uint32(UInt32(b)))) }
    if let e = t.eos { out.append(("tokenizer.ggml.eos_token_id", .uint32(UInt32(e)))) }
    if case .chatML(let system)? = chatTemplate {
      let sys = system.map { "{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\n\($0)<|im_end|>\n' }}{% endif %}" } ?? ""
      out.append(("tokenizer.chat_template", .string(sys + "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")))
    }
    return out
  }

  /// W + (alpha/r) B A for linear `kind` of layer `l` (W alone without an adapter).
  func mergedWeight(_ l: Int, _ kind: LinearKind) throws -> [Float] {
    var w = try tensorValues("blk.\(l).\(kind.ggufName).weight")
    guard let lora, let (a, b) = lora.pair(l, kind) else { return w }
    let s = kind.shape(config), r = lora.options.rank
    let ba = UnsafeMutablePointer<Float>.allocate(capacity: s.rows * s.cols)
    defer { ba.deallocate() }
    Gemm.multiply(m: s.rows, n: s.cols, k: r, a: MatrixRef(b, rowStride: r), b: MatrixRef(a, rowStride: s.cols),
                  c: ba, ldc: s.cols)
    for i in 0..<w.count { w[i] += lora.scale * ba[i] }
    return w
  }
}

extension QuantType {
  /// The matching GGUF tensor type.
  var ggml: GGMLType {
    switch self {
    case .q8_0: return .q8_0
    case .q4_0: return .q4_0
    case .q4_1: return .q4_1
    }
  }
}
