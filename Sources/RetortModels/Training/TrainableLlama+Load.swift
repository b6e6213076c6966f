// A trainable copy of a loaded GGUF model: all weights widened to f32 (full
// fine-tuning), or with the quantized projections kept frozen and quantized
// (for LoRA, as QLoRA does) while embedding and norms are f32.

import RetortCompute

extension TrainableLlama {
  /// Copies `model`'s weights. With `quantizedBase`, Q8_0/Q4_0/Q4_1
  /// projections stay quantized and frozen (only LoRA can then be trained).
  /// `progress(done, total)` is called per layer; `isCancelled` stops the copy.
  public convenience init(model: LlamaModel, quantizedBase: Bool = false, progress: ((Int, Int) -> Void)? = nil,
                          isCancelled: () -> Bool = { false }) throws {
    let c = model.config
    let quant: [[QuantizedMatrix?]]? = quantizedBase ? model.layers.map { ly in
      [ly.wq, ly.wk, ly.wv, ly.wo, ly.gate, ly.up, ly.down].map { $0.quantized }
    } : nil
    try self.init(config: c, tokenizer: model.tokenizer, chatTemplate: model.chatTemplate,
                  tiedOutput: model.file.tensor("output.weight") == nil, quantized: quant)
    carriedMetadata = model.file.metadata.filter { $0.key.hasPrefix("tokenizer.") || $0.key == "general.name" }
    trainedTemplate = model.trainedTemplate
    func copy(_ w: Weight, to name: String) {
      guard let dst = pointer(name) else { return }
      if let f = w.floats {
        dst.update(from: f, count: w.rows * w.cols)
      } else if let q = w.quantized {
        WorkerPool.current.parallelRanges(w.rows, grain: 64) { r in
          for i in r { try? q.dequantizeRow(i, into: dst + i * w.cols) }
        }
      } else {
        Quantize.decode(w.data, type: w.type, count: w.rows * w.cols, into: dst)
      }
    }
    copy(model.embedding, to: "token_embd.weight")
    if !tiedOutput { copy(model.output, to: "output.weight") }
    try setTensorValues("output_norm.weight", model.outputNorm)
    for (l, ly) in model.layers.enumerated() {
      if isCancelled() { throw ModelError("copying the model's weights was cancelled") }
      try setTensorValues("blk.\(l).attn_norm.weight", ly.attnNorm)
      try setTensorValues("blk.\(l).ffn_norm.weight", ly.ffnNorm)
      for (kind, w) in zip(LinearKind.allCases, [ly.wq, ly.wk, ly.wv, ly.wo, ly.gate, ly.up, ly.down]) {
        copy(w, to: "blk.\(l).\(kind.ggufName).weight")
      }
      progress?(l + 1, c.layers)
    }
  }
}
