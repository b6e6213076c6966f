// ROUGE-L as Google's rouge-score computes it (`rouge_scorer._score_lcs`):
//   precision = LCS / len(candidate), recall = LCS / len(reference),
//   F = 2 * precision * recall / (precision + recall)  (beta = 1),
// and all three are 0 when either side has no tokens or the LCS is 0.
// Text is tokenized by `MetricTokenizer` (CJK-aware).

/// A ROUGE-L score: LCS-based precision, recall and F-measure.
public struct RougeScore: Sendable, Equatable, CustomStringConvertible {
  /// LCS / candidate length.
  public var precision: Double
  /// LCS / reference length.
  public var recall: Double
  /// Harmonic mean of precision and recall (beta = 1).
  public var f: Double

  /// A score from its parts.
  public init(precision: Double, recall: Double, f: Double) {
    self.precision = precision
    self.recall = recall
    self.f = f
  }

  /// e.g. `RougeScore(p: 1.0, r: 0.5, f: 0.667)`.
  public var description: String { "RougeScore(p: \(precision), r: \(recall), f: \(f))" }
}

/// ROUGE-L (longest common subsequence) between a candidate and a reference.
public enum RougeL {
  /// The score from an LCS length and the two token counts, computed with
  /// exactly rouge-score's floating-point operations.
  public static func score(lcs: Int, candidateCount: Int, referenceCount: Int) -> RougeScore {
    if candidateCount == 0 || referenceCount == 0 || lcs == 0 {
      return RougeScore(precision: 0, recall: 0, f: 0)
    }
    let p = Double(lcs) / Double(candidateCount)
    let r = Double(lcs) / Double(referenceCount)
    return RougeScore(precision: p, recall: r, f: 2 * p * r / (p + r))
  }

  /// ROUGE-L of two token-id sequences (bit-parallel LCS).
  public static func score(candidate: [Int32], reference: [Int32]) -> RougeScore {
    score(lcs: LCS.length(candidate, reference),
          candidateCount: candidate.count, referenceCount: reference.count)
  }

  /// ROUGE-L of two token sequences.
  public static func score(candidate: [String], reference: [String]) -> RougeScore {
    var interner = TokenInterner()
    let c = interner.ids(candidate)
    let r = interner.ids(reference)
    return score(candidate: c, reference: r)
  }

  /// ROUGE-L of two texts, tokenized by `MetricTokenizer`.
  public static func score(candidate: String, reference: String) -> RougeScore {
    var interner = TokenInterner()
    let c = interner.tokenIds(candidate)
    let r = interner.tokenIds(reference)
    return score(candidate: c, reference: r)
  }

  /// The highest F-measure any pair of sequences with these lengths can
  /// reach (when one is a subsequence of the other): 2*min/(m+n). Exact
  /// pruning bound for dedup.
  public static func bestPossibleF(_ m: Int, _ n: Int) -> Double {
    if m == 0 || n == 0 { return 0 }
    return score(lcs: min(m, n), candidateCount: m, referenceCount: n).f
  }
}
