// Log-likelihood of a completion given a prompt: the sum over the completion's
// tokens of log p(token | everything before it), as evaluation harnesses score
// multiple-choice answers. The prompt is tokenized as `generate` tokenizes it
// (with BOS when the model wants one), the completion on its own, without BOS.

import Foundation

/// How likely a model finds a completion after a prompt.
public struct CompletionLogprob: Sendable, Equatable {
  /// The completion's token ids.
  public var tokens: [Int]
  /// log p of each completion token given all tokens before it (natural log).
  public var logprobs: [Double]
  /// Whether every completion token is the model's most likely next token
  /// (greedy decoding would produce the completion).
  public var greedy: Bool

  /// The sum of `logprobs`: the completion's log-likelihood.
  public var total: Double { logprobs.reduce(0, +) }
}

extension LlamaModel {
  /// Scores `completion` after `prompt` (see the file comment).
  /// - Throws: `ModelError` for an empty prompt or completion, or more tokens
  ///   than the model's context holds.
  public func logprob(prompt: String, completion: String, context: Int? = nil) throws -> CompletionLogprob {
    try logprob(prompt: tokenizer.encode(prompt), completion: tokenizer.encode(completion, addBOS: false), context: context)
  }

  /// Scores the `completion` tokens after the `prompt` tokens, within `context`
  /// tokens (default: the model's context length).
  public func logprob(prompt: [Int], completion: [Int], context: Int? = nil) throws -> CompletionLogprob {
    try logprob(prompt: prompt, completion: completion, chunk: Self.promptChunk, context: context)
  }

  /// As above, running the tokens through the model `chunk` at a time (tests use small chunks).
  func logprob(prompt: [Int], completion: [Int], chunk: Int, context: Int? = nil) throws -> CompletionLogprob {
    guard !prompt.isEmpty else { throw ModelError("logprob: the prompt is empty (no tokens)") }
    guard !completion.isEmpty else { throw ModelError("logprob: the completion is empty (no tokens)") }
    let all = prompt + completion
    let limit = min(config.contextLength, context ?? config.contextLength)
    guard all.count <= limit else {
      throw ModelError("logprob: prompt and completion have \(all.count) tokens; the context holds \(limit)")
    }
    let v = config.vocabularySize
    for t in all where t < 0 || t >= v { throw ModelError("logprob: token id \(t) is outside the vocabulary (0..<\(v))") }
    let cache = try makeCache(context: all.count)
    // Rows for positions first..<all.count-1: each predicts the token after it.
    let first = prompt.count - 1, last = all.count - 1
    var logits: [Float] = []
    var i = 0
    while i < all.count {
      let end = min(all.count, i + max(1, chunk))
      let lo = max(first, i), hi = min(last, end)
      let part = try forward(Array(all[i..<end]), cache: cache, outputs: lo < hi ? (lo - i)..<(hi - i) : (end - i - 1)..<(end - i), exact: true)
      if lo < hi { logits += part }
      i = end
    }
    var result = CompletionLogprob(tokens: completion, logprobs: [], greedy: true)
    for j in first..<last {
      let (nll, isTop) = Self.tokenNLL(logits, row: (j - first) * v, vocabulary: v, target: all[j + 1])
      result.logprobs.append(-nll)
      if !isTop { result.greedy = false }
    }
    return result
  }
}
