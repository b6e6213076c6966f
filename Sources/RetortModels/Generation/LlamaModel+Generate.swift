// Text generation: prompt in chunks (matrix-matrix), then one token at a
// time (matrix-vector), streaming text and honouring cancellation.

import Foundation

extension LlamaModel {
  /// Prompt tokens processed per forward call.
  static let promptChunk = 512

  /// Generates a continuation of `prompt` (special tokens in it are parsed).
  /// `onText` receives text as it is produced; `isCancelled` stops cleanly,
  /// keeping what was generated. Uses (and extends) `cache` if given.
  public func generate(_ prompt: String, options: GenerationOptions = GenerationOptions(),
                       cache: KVCache? = nil, onText: ((String) -> Void)? = nil,
                       isCancelled: () -> Bool = { false }) throws -> GenerationResult {
    try generate(tokens: tokenizer.encode(prompt), options: options, cache: cache, onText: onText, isCancelled: isCancelled)
  }

  /// Generates a continuation of the prompt `tokens`.
  public func generate(tokens prompt: [Int], options: GenerationOptions = GenerationOptions(),
                       cache: KVCache? = nil, onText: ((String) -> Void)? = nil,
                       isCancelled: () -> Bool = { false }) throws -> GenerationResult {
    guard options.maxTokens >= 0 else { throw ModelError("max_tokens must be >= 0, got \(options.maxTokens)") }
    guard !prompt.isEmpty else { throw ModelError("generate: the prompt is empty (no tokens)") }
    var sampler = try Sampler(options.sampling)
    let limit = min(config.contextLength, options.context ?? config.contextLength)
    let cache = try cache ?? makeCache(context: min(limit, max(256, prompt.count + options.maxTokens)))
    guard cache.count + prompt.count < cache.capacity else {
      throw ModelError("the prompt has \(prompt.count) tokens but the context holds \(cache.capacity - cache.count) more; use a larger context or a shorter prompt")
    }
    let t0 = Date()
    var logits = try prefill(prompt, cache: cache, isCancelled: isCancelled)
    let t1 = Date()
    var result = GenerationResult(text: "", tokens: [], promptTokens: prompt.count, finishReason: .length,
                                  promptSeconds: t1.timeIntervalSince(t0), generateSeconds: 0)
    guard let first = logits else {
      result.finishReason = .cancelled
      return result
    }
    logits = first
    var history = prompt
    var stream = UTF8Stream()
    var stops = StopMatcher(stops: options.stop)
    func emit(_ s: String) { if !s.isEmpty { onText?(s) } }
    while result.tokens.count < options.maxTokens {
      if isCancelled() { result.finishReason = .cancelled; break }
      let next = (logits ?? []).withUnsafeBufferPointer { sampler.sample($0, history: history) }
      result.tokens.append(next)
      history.append(next)
      if options.stopAtEndOfSequence && tokenizer.endOfGeneration.contains(next) {
        result.finishReason = .endOfSequence
        break
      }
      emit(stops.append(stream.append(tokenizer.decodeBytes([next]))))
      if stops.stopped { result.finishReason = .stop; break }
      if result.tokens.count >= options.maxTokens { break }
      if cache.count >= cache.capacity { result.finishReason = .contextFull; break }
      logits = try forward([next], cache: cache)
    }
    emit(stops.flush())
    result.text = stops.text
    result.generateSeconds = Date().timeIntervalSince(t1)
    return result
  }

  /// Runs the prompt through the model in chunks; returns the last logits,
  /// or nil if cancelled between chunks.
  func prefill(_ tokens: [Int], cache: KVCache, isCancelled: () -> Bool) throws -> [Float]? {
    var logits: [Float] = []
    var i = 0
    while i < tokens.count {
      if isCancelled() { return nil }
      let end = min(tokens.count, i + Self.promptChunk)
      logits = try forward(Array(tokens[i..<end]), cache: cache)
      i = end
    }
    return logits
  }
}
