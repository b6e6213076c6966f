// Perplexity computed exactly as llama.cpp's perplexity tool does:
// non-overlapping windows of `context` tokens (BOS in place of the first
// token when the model adds one), each scored on its second half.

import Foundation

/// The result of `perplexity`.
public struct PerplexityResult: Sendable, Equatable {
  /// exp(mean negative log-likelihood).
  public var perplexity: Double
  /// Mean negative log-likelihood (nats per token).
  public var meanNLL: Double
  /// Windows scored and tokens scored.
  public var windows: Int
  public var scoredTokens: Int
  /// Tokens in the whole text.
  public var textTokens: Int
  /// Whether a cancellation stopped it early (the value covers the windows done).
  public var cancelled: Bool
}

extension LlamaModel {
  /// Perplexity of `text` with windows of `context` tokens. Needs at least
  /// 2 * context tokens (as llama.cpp). `progress(done, total)` per window.
  public func perplexity(_ text: String, context: Int = 256, progress: ((Int, Int) -> Void)? = nil,
                         isCancelled: () -> Bool = { false }) throws -> PerplexityResult {
    guard context >= 4 else { throw ModelError("perplexity: context must be at least 4, got \(context)") }
    guard context <= config.contextLength else {
      throw ModelError("perplexity: context \(context) exceeds the model's context length \(config.contextLength)")
    }
    // As llama.cpp's common_tokenize(ctx, text, add_special=true, parse_special=false).
    let tokens = tokenizer.encode(text, addBOS: tokenizer.addBOS, parseSpecial: false)
    guard tokens.count >= 2 * context else {
      throw ModelError("perplexity: the text has \(tokens.count) token\(tokens.count == 1 ? "" : "s"); at least \(2 * context) (2 x context) are needed")
    }
    let windows = tokens.count / context
    let first = context / 2
    let cache = try makeCache(context: context)
    let v = config.vocabularySize
    var nll = 0.0
    var count = 0
    var done = 0
    for w in 0..<windows {
      if isCancelled() { break }
      var chunk = Array(tokens[(w * context)..<((w + 1) * context)])
      if tokenizer.addBOS, let bos = tokenizer.bos { chunk[0] = bos }
      cache.truncate(to: 0)
      var logits: [Float] = []
      var i = 0
      while i < context {
        let end = min(context, i + Self.promptChunk)
        let lo = max(first, i), hi = min(context - 1, end)
        let part = try forward(Array(chunk[i..<end]), cache: cache, outputs: lo < hi ? (lo - i)..<(hi - i) : (end - i - 1)..<(end - i), exact: true)
        if lo < hi { logits += part }
        i = end
      }
      for j in first..<(context - 1) {
        nll += Self.tokenNLL(logits, row: (j - first) * v, vocabulary: v, target: tokens[w * context + j + 1]).nll
        count += 1
      }
      done += 1
      progress?(done, windows)
    }
    guard count > 0 else {
      return PerplexityResult(perplexity: .nan, meanNLL: .nan, windows: 0, scoredTokens: 0, textTokens: tokens.count, cancelled: true)
    }
    let mean = nll / Double(count)
    return PerplexityResult(perplexity: Foundation.exp(mean), meanNLL: mean, windows: done, scoredTokens: count,
                            textTokens: tokens.count, cancelled: done < windows)
  }

  /// -log p(target) under the softmax of the logits row starting at `row`, and
  /// whether `target` is (one of) the most likely tokens. Shared by perplexity
  /// and `logprob`.
  static func tokenNLL(_ logits: [Float], row: Int, vocabulary v: Int, target: Int) -> (nll: Double, isTop: Bool) {
    var m = -Float.infinity
    for k in 0..<v { m = max(m, logits[row + k]) }
    var s = 0.0
    for k in 0..<v { s += Double(exp(logits[row + k] - m)) }
    return (Double(m) + log(s) - Double(logits[row + target]), logits[row + target] >= m)
  }
}
