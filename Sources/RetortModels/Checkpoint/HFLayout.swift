// Hugging Face Llama naming and layout. GGUF stores the query and key
// projections with each head's rows permuted so that ggml's adjacent-pair
// RoPE matches Hugging Face's rotate-half RoPE: GGUF row h*hd + 2i + j holds
// HF row h*hd + j*hd/2 + i. Converting rows either way keeps files
// interchangeable with `transformers` and `peft`.

enum HFLayout {
  /// HF name of a block tensor (`model.layers.3.self_attn.q_proj.weight`).
  static func name(_ gguf: String) -> String? {
    switch gguf {
    case "token_embd.weight": return "model.embed_tokens.weight"
    case "output_norm.weight": return "model.norm.weight"
    case "output.weight": return "lm_head.weight"
    default: break
    }
    let parts = gguf.split(separator: ".")
    guard parts.count == 4, parts[0] == "blk", let l = Int(parts[1]) else { return nil }
    let stem = String(parts[2])
    if stem == "attn_norm" { return "model.layers.\(l).input_layernorm.weight" }
    if stem == "ffn_norm" { return "model.layers.\(l).post_attention_layernorm.weight" }
    guard let kind = LinearKind.allCases.first(where: { $0.ggufName == stem }) else { return nil }
    return "model.layers.\(l).\(kind.hfName).weight"
  }

  /// Rows of a [rows, cols] matrix reordered between GGUF and HF head layouts
  /// (`toHF` true: GGUF -> HF). `heads` is H for q, KH for k.
  static func permuteRows(_ v: [Float], rows: Int, cols: Int, heads: Int, toHF: Bool) -> [Float] {
    guard heads > 0, rows % heads == 0, (rows / heads) % 2 == 0 else { return v }
    let hd = rows / heads, half = hd / 2
    var out = v
    for h in 0..<heads {
      for i in 0..<half {
        for j in 0..<2 {
          let g = h * hd + 2 * i + j, f = h * hd + j * half + i
          let (src, dst) = toHF ? (g, f) : (f, g)
          for c in 0..<cols { out[dst * cols + c] = v[src * cols + c] }
        }
      }
    }
    return out
  }

  /// Heads whose rows are permuted for `kind` (nil: no permutation).
  static func permutedHeads(_ kind: LinearKind, _ c: LlamaConfig) -> Int? {
    switch kind {
    case .q: return c.heads
    case .k: return c.kvHeads
    default: return nil
    }
  }
}
