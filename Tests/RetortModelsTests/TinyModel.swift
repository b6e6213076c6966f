// A tiny random Llama model written with GGUFWriter (2 layers, width 64,
// 4 heads, 2 KV heads, byte-level vocabulary of 260 tokens), so forward,
// generation, chat, perplexity and batch answering are tested in any build
// without the real model.

import Foundation
@testable import RetortModels

enum TinyModel {
  static let chatML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

  /// Writes the tiny model to a temporary file and returns its path.
  static func write(seed: UInt64 = 7) throws -> String {
    var w = GGUFWriter()
    let dim = 64, heads = 4, kvHeads = 2, ffn = 96, layers = 2
    var tokens = (0..<256).map { String(Character(ByteUnicode.encoder[$0])) }
    var types = [Int32](repeating: 1, count: 256)
    let merges = ["h e", "l l", "he ll"]
    tokens += ["he", "ll", "hell", "<|im_start|>", "<|im_end|>"]
    types += [1, 1, 1, 3, 3]
    let vocab = tokens.count
    w.set("general.architecture", .string("llama"))
    w.set("general.name", .string("tiny test model"))
    w.set("llama.block_count", .uint32(UInt32(layers)))
    w.set("llama.context_length", .uint32(256))
    w.set("llama.embedding_length", .uint32(UInt32(dim)))
    w.set("llama.feed_forward_length", .uint32(UInt32(ffn)))
    w.set("llama.attention.head_count", .uint32(UInt32(heads)))
    w.set("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
    w.set("llama.rope.freq_base", .float32(10000))
    w.set("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
    w.set("tokenizer.ggml.model", .string("gpt2"))
    w.set("tokenizer.ggml.pre", .string("gpt2"))
    w.set("tokenizer.ggml.tokens", .array(of: .string, tokens.map { .string($0) }))
    w.set("tokenizer.ggml.token_type", .array(of: .int32, types.map { .int32($0) }))
    w.set("tokenizer.ggml.merges", .array(of: .string, merges.map { .string($0) }))
    w.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(vocab - 1)))
    w.set("tokenizer.chat_template", .string(chatML))
    var state = seed
    func rand(_ n: Int, scale: Float) -> [Float] {
      (0..<n).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
      }
    }
    try w.add(tensor: "token_embd.weight", shape: [dim, vocab], type: .q8_0, values: rand(dim * vocab, scale: 1))
    try w.add(tensor: "output_norm.weight", shape: [dim], values: rand(dim, scale: 0.2).map { $0 + 1 })
    for l in 0..<layers {
      let p = "blk.\(l)."
      try w.add(tensor: p + "attn_norm.weight", shape: [dim], values: rand(dim, scale: 0.2).map { $0 + 1 })
      try w.add(tensor: p + "ffn_norm.weight", shape: [dim], values: rand(dim, scale: 0.2).map { $0 + 1 })
      try w.add(tensor: p + "attn_q.weight", shape: [dim, dim], type: .q4_1, values: rand(dim * dim, scale: 0.3))
      try w.add(tensor: p + "attn_k.weight", shape: [dim, dim / heads * kvHeads], type: .q4_1, values: rand(dim * dim / 2, scale: 0.3))
      try w.add(tensor: p + "attn_v.weight", shape: [dim, dim / heads * kvHeads], type: .q4_0, values: rand(dim * dim / 2, scale: 0.3))
      try w.add(tensor: p + "attn_output.weight", shape: [dim, dim], type: .f16, values: rand(dim * dim, scale: 0.2))
      try w.add(tensor: p + "ffn_gate.weight", shape: [dim, ffn], type: .q4_1, values: rand(dim * ffn, scale: 0.3))
      try w.add(tensor: p + "ffn_up.weight", shape: [dim, ffn], type: .f32, values: rand(dim * ffn, scale: 0.3))
      try w.add(tensor: p + "ffn_down.weight", shape: [ffn, dim], type: .q8_0, values: rand(dim * ffn, scale: 0.2))
    }
    let path = Fixtures.tempPath(".gguf")
    try w.write(to: path)
    return path
  }

  static let shared: Result<LlamaModel, Error> = Result { try LlamaModel(write()) }
  static func model() throws -> LlamaModel { try shared.get() }
}
