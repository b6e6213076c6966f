// Reading a tokenizer from GGUF metadata.

extension Tokenizer {
  /// The tokenizer described by `file`'s `tokenizer.ggml.*` metadata
  /// (with `pre`, a different pre-tokenizer split than the file names).
  public convenience init(gguf file: GGUFFile, pre override: PreTokenizer? = nil) throws {
    let model = try file.string("tokenizer.ggml.model")
    guard model == "gpt2" else {
      throw ModelError("\(file.path): tokenizer.ggml.model is '\(model)'; only byte-level BPE ('gpt2') is supported")
    }
    func strings(_ key: String) throws -> [String] {
      guard let v = file[key] else { throw ModelError("\(file.path): missing metadata \(key)") }
      guard case .array(.string, let a) = v else {
        throw ModelError("\(file.path): metadata \(key) should be an array of strings, got \(v.summary)")
      }
      return a.map { $0.string ?? "" }
    }
    let tokens = try strings("tokenizer.ggml.tokens")
    let merges = try strings("tokenizer.ggml.merges")
    var types: [TokenType]? = nil
    if let v = file["tokenizer.ggml.token_type"] {
      guard let a = v.array, a.count == tokens.count else {
        throw ModelError("\(file.path): tokenizer.ggml.token_type should be \(tokens.count) integers, got \(v.summary)")
      }
      types = a.map { TokenType(rawValue: $0.int ?? 1) ?? .normal }
    }
    let pre = try override ?? PreTokenizer(gguf: file["tokenizer.ggml.pre"]?.string ?? "gpt2")
    try self.init(tokens: tokens, types: types, merges: merges, pre: pre,
                  bos: file["tokenizer.ggml.bos_token_id"]?.int,
                  eos: file["tokenizer.ggml.eos_token_id"]?.int,
                  addBOS: file["tokenizer.ggml.add_bos_token"].map { $0.int == 1 } ?? false)
  }
}
