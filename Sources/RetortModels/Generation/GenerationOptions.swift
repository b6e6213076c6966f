// What `generate` takes and returns.

/// Options for one generation.
public struct GenerationOptions: Sendable, Equatable {
  /// Stop after this many new tokens.
  public var maxTokens: Int = 256
  /// How tokens are chosen (temperature 0 = greedy).
  public var sampling = SamplingOptions()
  /// Stop when any of these strings appears (it is not included in the text).
  public var stop: [String] = []
  /// Stop at the end-of-sequence token(s).
  public var stopAtEndOfSequence = true
  /// Tokens the prompt and the reply may fill together (a context set lower
  /// than the model's); nil for the model's own context length.
  public var context: Int? = nil

  public init(maxTokens: Int = 256, sampling: SamplingOptions = SamplingOptions(), stop: [String] = [],
              stopAtEndOfSequence: Bool = true) {
    self.maxTokens = maxTokens; self.sampling = sampling; self.stop = stop
    self.stopAtEndOfSequence = stopAtEndOfSequence
  }
}

/// Why generation ended.
public enum FinishReason: String, Sendable, Codable {
  case length, stop, endOfSequence = "eos", cancelled, contextFull = "context_full"
}

/// The outcome of one generation.
public struct GenerationResult: Sendable {
  /// Generated text (without a matched stop string).
  public var text: String
  /// Generated token ids (including an end-of-sequence token, if one ended it).
  public var tokens: [Int]
  /// Tokens in the prompt.
  public var promptTokens: Int
  public var finishReason: FinishReason
  /// Seconds spent on the prompt and on generating.
  public var promptSeconds: Double
  public var generateSeconds: Double

  /// Generated tokens per second.
  public var tokensPerSecond: Double { generateSeconds > 0 ? Double(tokens.count) / generateSeconds : 0 }
}
