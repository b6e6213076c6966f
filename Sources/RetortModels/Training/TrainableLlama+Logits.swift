// Inference through the training pass: logits and losses of token
// sequences, used by evaluation and to check the training pass against the
// loader's forward pass.

extension TrainableLlama {
  /// Logits [tokens.count * V] of every position of one sequence (LoRA applied).
  public func logits(_ tokens: [Int]) throws -> [Float] {
    try checkTokens(tokens)
    let bufs = try PassBuffers(model: self, batch: 1, seq: tokens.count, training: false)
    bufs.allLogits = true
    for (i, t) in tokens.enumerated() {
      bufs.tokens[i] = Int32(t)
      bufs.targets[i] = -1
    }
    _ = pass(bufs, grads: nil, lossScale: 0, step: 0)
    return Array(UnsafeBufferPointer(start: bufs.logits, count: tokens.count * config.vocabularySize))
  }

  /// Throws unless every id is in the vocabulary and the sequence fits the context.
  func checkTokens(_ tokens: [Int]) throws {
    guard !tokens.isEmpty else { throw ModelError("no tokens given") }
    guard tokens.count <= config.contextLength else {
      throw ModelError("\(tokens.count) tokens exceed the context length \(config.contextLength)")
    }
    for t in tokens where t < 0 || t >= config.vocabularySize {
      throw ModelError("token id \(t) is outside the vocabulary (0..<\(config.vocabularySize))")
    }
  }
}
