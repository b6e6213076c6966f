// Attaching, merging and removing LoRA adapters, and widening a frozen
// quantized base to f32 (needed to merge into it or to train it fully).

import RetortCompute

extension TrainableLlama {
  /// Attaches fresh adapters (B = 0, so outputs are unchanged) and returns
  /// the number of trainable parameters. Training then updates only them.
  @discardableResult
  public func attachLoRA(_ options: LoRAOptions = LoRAOptions()) throws -> Int {
    guard lora == nil else { throw ModelError("lora: adapters are already attached; merge_lora() or unload_lora() first") }
    let a = try LoRAAdapters.fresh(config: config, options: options, tiedOutput: tiedOutput)
    // Embedding copies start as the model's own (a tied output layer's is the embedding), so outputs are unchanged.
    for (name, off) in a.copies {
      guard let src = index[name] ?? (name == "output.weight" ? index["token_embd.weight"] : nil) else { continue }
      (a.values.pointer + off).update(from: values.pointer + src, count: config.vocabularySize * config.dim)
    }
    lora = a
    return a.parameterCount
  }

  /// Attaches existing adapters (for example read from a PEFT directory).
  public func attach(_ adapters: LoRAAdapters) throws {
    guard lora == nil else { throw ModelError("lora: adapters are already attached; merge_lora() or unload_lora() first") }
    lora = adapters
  }

  /// Parameters the next `train` call would update.
  public var trainableParameterCount: Int { lora?.parameterCount ?? parameterCount }

  /// Removes the adapters (the base weights are as before) and returns them.
  @discardableResult
  public func unloadLoRA() -> LoRAAdapters? {
    defer { lora = nil }
    return lora
  }

  /// Adds (alpha/r) B A into every adapted weight (and puts trained embedding
  /// copies in place of the model's own), then removes the adapters.
  /// A quantized base is widened to f32 first; a tied model whose adapters
  /// trained the output layer apart is untied.
  public func mergeLoRA() throws {
    guard let a = lora else { throw ModelError("merge_lora: no adapters are attached") }
    if hasQuantizedBase || outputTied != tiedOutput { try rebuildInF32(tied: outputTied) }
    for l in 0..<config.layers {
      for kind in LinearKind.allCases where a.pair(l, kind) != nil {
        let merged = try mergedWeight(l, kind)
        try setTensorValues("blk.\(l).\(kind.ggufName).weight", merged)
      }
    }
    // Trained embedding copies replace the model's own.
    for name in a.copies.keys.sorted() { try setTensorValues(name, try effectiveValues(name)) }
    lora = nil
  }

  /// Replaces frozen quantized projections by f32 copies (dequantized).
  public func widenToF32() throws {
    guard hasQuantizedBase else { return }
    try rebuildInF32(tied: tiedOutput)
  }

  /// Lays the model out again with every weight in f32 (quantized ones
  /// dequantized), tied or not; untying starts the output layer as the embedding.
  func rebuildInF32(tied: Bool) throws {
    let wide = try TrainableLlama(config: config, tokenizer: tokenizer, chatTemplate: chatTemplate, tiedOutput: tied)
    for p in wide.params {
      let v = try tensorValues(p.name == "output.weight" && tiedOutput ? "token_embd.weight" : p.name)
      try wide.setTensorValues(p.name, v)
    }
    params = wide.params
    values = wide.values
    linears = wide.linears
    index = wide.index
    tiedOutput = tied
    baseRevision += 1
  }
}
