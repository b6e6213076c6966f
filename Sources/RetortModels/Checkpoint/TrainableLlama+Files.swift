// Saving and loading by file name: `.safetensors` (f32 checkpoint with
// config and tokenizer in the header) or `.gguf` (f32/f16/q8_0/q4_0/q4_1).

extension TrainableLlama {
  /// Saves to `path` by extension; `quant` applies to `.gguf` ("f32", "f16", "q8_0", "q4_0", "q4_1").
  /// Returns the tensor types of a GGUF file written (nil for safetensors).
  @discardableResult
  public func save(_ path: String, quant: String = "f32") throws -> [GGMLType: Int]? {
    if path.hasSuffix(".safetensors") {
      guard quant == "f32" else { throw ModelError("save: safetensors checkpoints are f32; quant=\(quant) applies to .gguf files") }
      try saveSafetensors(path)
      return nil
    } else if path.hasSuffix(".gguf") {
      guard let t = GGMLType(name: quant), [GGMLType.f32, .f16, .q8_0, .q4_0, .q4_1].contains(t) else {
        throw ModelError("save: quant must be one of f32, f16, q8_0, q4_0, q4_1, got \"\(quant)\"")
      }
      return try saveGGUF(path, type: t)
    } else {
      throw ModelError("save: \(path): the file name must end in .safetensors or .gguf")
    }
  }

  /// Loads a trainable model from `.safetensors` or `.gguf` (a GGUF is widened to f32
  /// unless `quantizedBase`, which keeps its quantized projections frozen for LoRA).
  public static func load(_ path: String, quantizedBase: Bool = false, progress: ((Int, Int) -> Void)? = nil,
                          isCancelled: () -> Bool = { false }) throws -> TrainableLlama {
    if path.hasSuffix(".safetensors") { return try TrainableLlama(safetensors: path) }
    let m = try LlamaModel(path, progress: nil, isCancelled: isCancelled)
    return try TrainableLlama(model: m, quantizedBase: quantizedBase, progress: progress, isCancelled: isCancelled)
  }
}
