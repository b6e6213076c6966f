// Picks the next token from logits: repeat penalty, then greedy or
// top-k -> top-p -> min-p -> temperature -> a seeded random draw (the order
// llama.cpp's default sampler chain uses).

/// A deterministic sampler: the same options, seed and logits give the same tokens.
public struct Sampler: Sendable {
  public let options: SamplingOptions
  private var state: UInt64

  /// A sampler; throws if an option is out of range.
  public init(_ options: SamplingOptions) throws {
    try options.validate()
    self.options = options
    state = options.seed &+ 0x9E37_79B9_7F4A_7C15
  }

  /// SplitMix64 step: a uniform double in [0, 1).
  mutating func uniform() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// The next token given `logits` and the tokens so far (for the repeat penalty).
  public mutating func sample(_ logits: UnsafeBufferPointer<Float>, history: [Int]) -> Int {
    var penalized: [Int: Float] = [:]
    if options.repeatPenalty != 1, options.repeatLastN > 0 {
      let p = Float(options.repeatPenalty)
      for t in history.suffix(options.repeatLastN) where t >= 0 && t < logits.count && penalized[t] == nil {
        let l = logits[t]
        penalized[t] = l > 0 ? l / p : l * p
      }
    }
    @inline(__always) func logit(_ i: Int) -> Float { penalized[i] ?? logits[i] }

    if options.temperature <= 0 {
      var best = 0
      var bestValue = -Float.infinity
      for i in 0..<logits.count where logit(i) > bestValue { bestValue = logit(i); best = i }
      return best
    }
    // Candidates sorted by logit (ties by id, for determinism).
    var cands: [(id: Int, logit: Float)]
    let k = options.topK > 0 ? min(options.topK, logits.count) : logits.count
    cands = (0..<logits.count).map { ($0, logit($0)) }.filter { !$0.logit.isNaN }
    if k < cands.count {
      cands.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
      cands.removeSubrange(k...)
    } else {
      cands.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
    }
    guard let top = cands.first else { return 0 }
    // Probabilities at temperature 1 for top-p and min-p (as llama.cpp does).
    var probs = cands.map { Double(exp($0.logit - top.logit)) }
    var total = probs.reduce(0, +)
    if options.topP < 1 {
      var acc = 0.0
      var keep = probs.count
      for (i, p) in probs.enumerated() {
        acc += p / total
        if acc >= options.topP { keep = i + 1; break }
      }
      cands.removeSubrange(keep...)
      probs.removeSubrange(keep...)
      total = probs.reduce(0, +)
    }
    if options.minP > 0 {
      let keep = probs.firstIndex { $0 < options.minP * probs[0] } ?? probs.count
      cands.removeSubrange(max(1, keep)...)
    }
    // Temperature, softmax, draw.
    let t = options.temperature
    let weights = cands.map { exp(Double($0.logit - top.logit) / t) }
    let sum = weights.reduce(0, +)
    var r = uniform() * sum
    for (i, w) in weights.enumerated() {
      r -= w
      if r < 0 { return cands[i].id }
    }
    return cands[cands.count - 1].id
  }
}

import Foundation
