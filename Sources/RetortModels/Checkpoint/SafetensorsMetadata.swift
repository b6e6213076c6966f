// The header metadata of a Retort safetensors checkpoint: the model shape
// (`retort.config`), the tokenizer (`retort.tokenizer`) and the chat
// template, as JSON strings, so a checkpoint reloads without other files.

import Foundation
import RetortFiles

enum SafetensorsMetadata {
  struct Config: Codable {
    var vocab, dim, layers, heads, kv_heads, ffn, context, rope_dim: Int
    var rope_base, norm_eps: Float
    var tied: Bool
  }

  struct TokenizerJSON: Codable {
    var tokens: [String]
    var types: [Int]
    var merges: [String]
    var pre: String
    var bos: Int?
    var eos: Int?
    var add_bos: Bool
  }

  static func encode(_ m: TrainableLlama, tensors: [(name: String, shape: [Int], values: [Float])]) throws -> [UInt8] {
    let c = m.config
    let cfg = Config(vocab: c.vocabularySize, dim: c.dim, layers: c.layers, heads: c.heads, kv_heads: c.kvHeads,
                     ffn: c.ffnDim, context: c.contextLength, rope_dim: c.ropeDim, rope_base: c.ropeBase,
                     norm_eps: c.normEps, tied: m.outputTied)
    let t = m.tokenizer
    let tok = TokenizerJSON(tokens: t.tokens, types: t.types.map(\.rawValue), merges: t.mergeList, pre: t.pre.rawValue,
                            bos: t.bos, eos: t.eos, add_bos: t.addBOS)
    // Sorted keys: the same model always gives the same bytes.
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    var meta = ["format": "pt",
                "retort.config": String(decoding: try enc.encode(cfg), as: UTF8.self),
                "retort.tokenizer": String(decoding: try enc.encode(tok), as: UTF8.self)]
    if case .chatML(let system)? = m.chatTemplate {
      meta["retort.chat_template"] = "chatml"
      if let system { meta["retort.chat_system"] = system }
    }
    if let t = m.trainedTemplate { meta[TrainableLlama.trainTemplateKey] = t.rawValue }
    return try SafetensorsFile.encode(tensors, metadata: meta)
  }

  static func config(_ f: SafetensorsFile) throws -> (LlamaConfig, Bool) {
    guard let s = f.metadata["retort.config"] else {
      throw ModelError("\(f.path): no retort.config in the safetensors metadata (not a Retort checkpoint)")
    }
    let c: Config
    do { c = try JSONDecoder().decode(Config.self, from: Data(s.utf8)) } catch let e as DecodingError {
      throw ModelError("\(f.path): retort.config metadata is malformed: \(e.plainDescription)")
    }
    let config = LlamaConfig(vocabularySize: c.vocab, dim: c.dim, layers: c.layers, heads: c.heads, kvHeads: c.kv_heads,
                             ffnDim: c.ffn, contextLength: c.context, ropeBase: c.rope_base, ropeDim: c.rope_dim,
                             normEps: c.norm_eps)
    if let broken = config.shapeProblem ?? (c.context > 1 && c.context <= 1 << 24 ? nil : "the context must be in 2...16777216") {
      throw ModelError("\(f.path): inconsistent model shape in retort.config: \(broken) (\(s))")
    }
    if let problem = config.scalarProblem(ropeKey: "retort.config rope_base", epsKey: "retort.config norm_eps") {
      throw ModelError("\(f.path): \(problem)")
    }
    return (config, c.tied)
  }

  static func tokenizer(_ f: SafetensorsFile) throws -> Tokenizer {
    guard let s = f.metadata["retort.tokenizer"] else {
      throw ModelError("\(f.path): no retort.tokenizer in the safetensors metadata")
    }
    let t: TokenizerJSON
    do { t = try JSONDecoder().decode(TokenizerJSON.self, from: Data(s.utf8)) } catch let e as DecodingError {
      throw ModelError("\(f.path): retort.tokenizer metadata is malformed: \(e.plainDescription)")
    }
    return try Tokenizer(tokens: t.tokens, types: t.types.map { TokenType(rawValue: $0) ?? .normal }, merges: t.merges,
                         pre: PreTokenizer(gguf: t.pre), bos: t.bos, eos: t.eos, addBOS: t.add_bos)
  }
}
