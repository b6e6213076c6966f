// Options for choosing the next token, as `generate` takes them.

/// How tokens are chosen. Temperature 0 is greedy (argmax).
public struct SamplingOptions: Sendable, Equatable {
  /// Softmax temperature; 0 (or less) picks the most likely token.
  public var temperature: Double = 0.8
  /// Keep only the `topK` most likely tokens (0 = all).
  public var topK: Int = 40
  /// Keep the smallest set of tokens whose probability reaches `topP` (1 = all).
  public var topP: Double = 0.95
  /// Drop tokens less likely than `minP` times the most likely one (0 = off).
  public var minP: Double = 0.05
  /// Divide (or multiply, for negative logits) the logits of recently seen tokens by this (1 = off).
  public var repeatPenalty: Double = 1.0
  /// How many recent tokens the repeat penalty looks at.
  public var repeatLastN: Int = 64
  /// Random seed: same seed, same inputs => same tokens.
  public var seed: UInt64 = 42

  public init(temperature: Double = 0.8, topK: Int = 40, topP: Double = 0.95, minP: Double = 0.05,
              repeatPenalty: Double = 1.0, repeatLastN: Int = 64, seed: UInt64 = 42) {
    self.temperature = temperature; self.topK = topK; self.topP = topP; self.minP = minP
    self.repeatPenalty = repeatPenalty; self.repeatLastN = repeatLastN; self.seed = seed
  }

  /// Greedy decoding.
  public static let greedy = SamplingOptions(temperature: 0, topK: 1, topP: 1, minP: 0)

  /// Checks every option's range; the error names the option and the valid range.
  public func validate() throws {
    guard temperature.isFinite, temperature >= 0 else { throw ModelError("temperature must be a finite number >= 0, got \(temperature)") }
    guard topK >= 0 else { throw ModelError("top_k must be >= 0, got \(topK)") }
    guard topP > 0, topP <= 1 else { throw ModelError("top_p must be in (0, 1], got \(topP)") }
    guard minP >= 0, minP < 1 else { throw ModelError("min_p must be in [0, 1), got \(minP)") }
    guard repeatPenalty.isFinite, repeatPenalty > 0 else { throw ModelError("repeat_penalty must be a finite number > 0, got \(repeatPenalty)") }
    guard repeatLastN >= 0 else { throw ModelError("repeat_last_n must be >= 0, got \(repeatLastN)") }
  }
}
