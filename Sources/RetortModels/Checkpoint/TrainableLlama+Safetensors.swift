// Whole-model checkpoints as safetensors, in Hugging Face Llama tensor names
// and layout (q/k rows in HF order), with the model shape, tokenizer and chat
// template in the header metadata so the file alone reloads the model.
// Attached LoRA adapters are merged into the saved weights.

import Foundation
import RetortFiles

extension TrainableLlama {
  /// The safetensors bytes of this model.
  public func safetensorsBytes() throws -> [UInt8] {
    var tensors: [(name: String, shape: [Int], values: [Float])] = []
    for p in allTensorNames() {
      guard let hf = HFLayout.name(p.name) else { continue }
      var v: [Float]
      if let kind = p.kind, let l = p.layer {
        v = try mergedWeight(l, kind)
        if let h = HFLayout.permutedHeads(kind, config) {
          v = HFLayout.permuteRows(v, rows: p.rows, cols: p.cols, heads: h, toHF: true)
        }
      } else {
        v = try effectiveValues(p.name)
      }
      tensors.append((hf, p.rows == 1 ? [p.cols] : [p.rows, p.cols], v))
    }
    return try SafetensorsMetadata.encode(self, tensors: tensors)
  }

  /// Every tensor of the model (f32 or quantized) with its shape and linear kind.
  func allTensorNames() -> [(name: String, rows: Int, cols: Int, layer: Int?, kind: LinearKind?)] {
    var out: [(name: String, rows: Int, cols: Int, layer: Int?, kind: LinearKind?)] = []
    out.append(("token_embd.weight", config.vocabularySize, config.dim, nil, nil))
    for l in 0..<config.layers {
      out.append(("blk.\(l).attn_norm.weight", 1, config.dim, nil, nil))
      out.append(("blk.\(l).ffn_norm.weight", 1, config.dim, nil, nil))
      for kind in LinearKind.allCases {
        let s = kind.shape(config)
        out.append(("blk.\(l).\(kind.ggufName).weight", s.rows, s.cols, l, kind))
      }
    }
    out.append(("output_norm.weight", 1, config.dim, nil, nil))
    if !outputTied { out.append(("output.weight", config.vocabularySize, config.dim, nil, nil)) }
    return out
  }

  /// Writes the model as safetensors, atomically.
  public func saveSafetensors(_ path: String) throws {
    try AtomicFile.write(try safetensorsBytes(), to: path)
  }

  /// Loads a model written by `saveSafetensors` (shape and tokenizer from the header metadata).
  public convenience init(safetensors path: String) throws {
    let f = try SafetensorsFile(path: path)
    let (config, tied) = try SafetensorsMetadata.config(f)
    let tokenizer = try SafetensorsMetadata.tokenizer(f)
    guard tokenizer.vocabularySize == config.vocabularySize else {
      throw ModelError("\(path): tokenizer has \(tokenizer.vocabularySize) tokens but the model's vocabulary is \(config.vocabularySize)")
    }
    var template: ChatTemplate? = nil
    if f.metadata["retort.chat_template"] == "chatml" {
      template = .chatML(defaultSystem: f.metadata["retort.chat_system"])
    }
    try self.init(config: config, tokenizer: tokenizer, chatTemplate: template, tiedOutput: tied)
    trainedTemplate = f.metadata[Self.trainTemplateKey].flatMap(PromptTemplate.init(rawValue:))
    for p in allTensorNames() {
      guard let hf = HFLayout.name(p.name) else { continue }
      var v = try f.floats(hf, shape: p.rows == 1 ? [p.cols] : [p.rows, p.cols])
      if let kind = p.kind, let h = HFLayout.permutedHeads(kind, config) {
        v = HFLayout.permuteRows(v, rows: p.rows, cols: p.cols, heads: h, toHF: false)
      }
      try setTensorValues(p.name, v)
    }
  }
}
