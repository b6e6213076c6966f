// BLEU: sentence and corpus BLEU, computed exactly as sacreBLEU 2.x computes them.
//
// Statistics per segment: hypothesis length, closest reference length (ties -> shorter), and for
// n = 1...maxOrder the clipped matches (hypothesis n-gram count clipped by the maximum count in any
// reference) and hypothesis n-gram totals. Corpus BLEU sums the statistics, then:
//   BP = 1 if sys >= ref else exp(1 - ref/sys) (0 if sys == 0); no matches at all -> 0;
//   p_n = 100 * correct/total; with 'exp' smoothing each order with zero matches gets
//   100 / (2^k * total) for its k-th zero (NIST / mteval smoothing); 'floor' gets 100*v/total;
//   'add-k' adds v to correct and total for n > 1; a zero total stops the loop;
//   with effective order the mean runs over the orders seen before that stop;
//   BLEU = BP * exp(mean(log p_n)), log(0) taken as -9999999999.
// sacreBLEU's defaults: corpus BLEU uses 'exp' without effective order; `sentence_bleu` uses 'exp'
// with effective order. Scores are on sacreBLEU's 0...100 scale.

import Foundation

/// sacreBLEU's smoothing methods.
public enum BLEUSmoothing: String, Sendable, Codable, CaseIterable {
  /// No smoothing.
  case none
  /// Method 1: zero-match orders get `value` (default 0.1) matches.
  case floor
  /// Method 2: add `value` (default 1) to matches and totals for n > 1.
  case addK = "add-k"
  /// Method 3 (NIST, mteval-v13a): the k-th zero-match order gets 1/2^k.
  case exp

  var defaultValue: Double {
    switch self {
    case .floor: return 0.1
    case .addK: return 1
    case .none, .exp: return 0
    }
  }
}

/// One BLEU result with its parts (as sacreBLEU's `BLEUScore`).
public struct BLEUScore: Sendable, Codable, Equatable {
  /// BLEU on the 0...100 scale.
  public var score: Double
  /// Clipped n-gram matches for n = 1...maxOrder.
  public var counts: [Double]
  /// Hypothesis n-gram totals for n = 1...maxOrder.
  public var totals: [Double]
  /// n-gram precisions in percent.
  public var precisions: [Double]
  /// Brevity penalty.
  public var brevityPenalty: Double
  /// Hypothesis length in tokens.
  public var hypothesisLength: Int
  /// (Closest) reference length in tokens.
  public var referenceLength: Int
}

/// BLEU settings and computation; the defaults are sacreBLEU's corpus defaults.
public struct BLEU: Sendable, Codable, Equatable {
  /// Tokenizer (sacreBLEU default '13a'; use `.zh` for Chinese).
  public var tokenizer: BLEUTokenizer
  /// Lower-case before tokenizing.
  public var lowercase: Bool
  /// Smoothing method.
  public var smoothing: BLEUSmoothing
  /// Smoothing value for floor / add-k; nil means sacreBLEU's default.
  public var smoothingValue: Double?
  /// Maximum n-gram order.
  public var maxOrder: Int
  /// Average only over orders that have hypothesis n-grams (sentence BLEU).
  public var effectiveOrder: Bool

  /// Creates BLEU settings.
  public init(
    tokenizer: BLEUTokenizer = .v13a, lowercase: Bool = false, smoothing: BLEUSmoothing = .exp,
    smoothingValue: Double? = nil, maxOrder: Int = 4, effectiveOrder: Bool = false
  ) {
    self.tokenizer = tokenizer
    self.lowercase = lowercase
    self.smoothing = smoothing
    self.smoothingValue = smoothingValue
    self.maxOrder = max(1, maxOrder)
    self.effectiveOrder = effectiveOrder
  }

  /// sacreBLEU's `sentence_bleu` defaults: 'exp' smoothing with effective order.
  public static func sentence(tokenizer: BLEUTokenizer = .v13a) -> BLEU {
    BLEU(tokenizer: tokenizer, effectiveOrder: true)
  }

  /// BLEU of one hypothesis against one or more references.
  public func sentenceScore(_ hypothesis: String, references: [String]) -> BLEUScore {
    compute(statistics(hypothesis, references: references))
  }

  /// Corpus BLEU: `references[i]` are the references of `hypotheses[i]`.
  /// - Throws: `JudgeError.invalidArgument` when the counts differ or an item has no reference.
  public func corpusScore(_ hypotheses: [String], references: [[String]]) throws -> BLEUScore {
    guard hypotheses.count == references.count else {
      throw JudgeError.invalidArgument(
        "corpus BLEU: \(hypotheses.count) hypotheses but \(references.count) reference lists")
    }
    var total = SegmentStatistics(order: maxOrder)
    for (i, (h, r)) in zip(hypotheses, references).enumerated() {
      guard !r.isEmpty else { throw JudgeError.invalidArgument("corpus BLEU: item \(i) has no reference") }
      total.add(statistics(h, references: r))
    }
    return compute(total)
  }

  struct SegmentStatistics {
    var hypLen = 0, refLen = 0
    var correct: [Double], total: [Double]
    init(order: Int) { correct = Array(repeating: 0, count: order); total = correct }
    mutating func add(_ o: SegmentStatistics) {
      hypLen += o.hypLen; refLen += o.refLen
      for n in correct.indices { correct[n] += o.correct[n]; total[n] += o.total[n] }
    }
  }

  func tokens(_ text: String) -> [String] {
    tokenizer.tokens(lowercase ? text.lowercased() : text)
  }

  /// An n-gram (n <= 4 packed in place, longer ones by value) of segment-local token ids.
  struct NGram: Hashable {
    var n: Int
    var a: Int32, b: Int32, c: Int32, d: Int32
    var rest: [Int32]
  }

  func ngrams(_ ids: [Int32]) -> [NGram: Int] {
    var counts: [NGram: Int] = [:]
    counts.reserveCapacity(ids.count * min(maxOrder, 4))
    for n in 1...maxOrder where ids.count >= n {
      for i in 0...(ids.count - n) {
        let g = NGram(
          n: n, a: ids[i], b: n > 1 ? ids[i + 1] : -1, c: n > 2 ? ids[i + 2] : -1, d: n > 3 ? ids[i + 3] : -1,
          rest: n > 4 ? Array(ids[(i + 4)..<(i + n)]) : [])
        counts[g, default: 0] += 1
      }
    }
    return counts
  }

  func statistics(_ hypothesis: String, references: [String]) -> SegmentStatistics {
    var vocabulary: [String: Int32] = [:]
    func ids(_ text: String) -> [Int32] {
      tokens(text).map { t in
        if let id = vocabulary[t] { return id }
        let id = Int32(vocabulary.count)
        vocabulary[t] = id
        return id
      }
    }
    var refMax: [NGram: Int] = [:]
    var refLens: [Int] = []
    for r in references {
      let t = ids(r)
      refLens.append(t.count)
      for (g, c) in ngrams(t) { refMax[g] = max(refMax[g] ?? 0, c) }
    }
    let hyp = ids(hypothesis)
    var s = SegmentStatistics(order: maxOrder)
    s.hypLen = hyp.count
    var closestDiff = -1, closest = -1
    for len in refLens {
      let diff = abs(hyp.count - len)
      if closestDiff == -1 || diff < closestDiff { closestDiff = diff; closest = len }
      else if diff == closestDiff && len < closest { closest = len }
    }
    s.refLen = max(closest, 0)
    for (g, c) in ngrams(hyp) {
      s.total[g.n - 1] += Double(c)
      if let r = refMax[g] { s.correct[g.n - 1] += Double(min(c, r)) }
    }
    return s
  }

  func compute(_ s: SegmentStatistics) -> BLEUScore {
    var correct = s.correct, total = s.total
    let value = smoothingValue ?? smoothing.defaultValue
    var bp = 1.0
    if s.hypLen < s.refLen { bp = s.hypLen > 0 ? exp(1 - Double(s.refLen) / Double(s.hypLen)) : 0 }
    var precisions = Array(repeating: 0.0, count: maxOrder)
    func result(_ score: Double) -> BLEUScore {
      BLEUScore(
        score: score, counts: correct, totals: total, precisions: precisions, brevityPenalty: bp,
        hypothesisLength: s.hypLen, referenceLength: s.refLen)
    }
    if !correct.contains(where: { $0 != 0 }) { return result(0) }
    var smoothMteval = 1.0
    var effOrder = maxOrder
    for n in 1...maxOrder {
      if smoothing == .addK && n > 1 { correct[n - 1] += value; total[n - 1] += value }
      if total[n - 1] == 0 { break }
      if effectiveOrder { effOrder = n }
      if correct[n - 1] == 0 {
        if smoothing == .exp {
          smoothMteval *= 2
          precisions[n - 1] = 100 / (smoothMteval * total[n - 1])
        } else if smoothing == .floor {
          precisions[n - 1] = 100 * value / total[n - 1]
        }
      } else {
        precisions[n - 1] = 100 * correct[n - 1] / total[n - 1]
      }
    }
    let logSum = precisions[0..<effOrder].reduce(0.0) { $0 + ($1 == 0 ? -9_999_999_999 : log($1)) }
    return result(bp * exp(logSum / Double(effOrder)))
  }
}
