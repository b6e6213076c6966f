// The pool of kept texts that dedup compares each new text against, bucketed
// by token count. A text of m tokens can only reach F >= threshold against a
// text of n tokens if the best possible F, 2*min(m,n)/(m+n) (reached when one
// is a subsequence of the other), is >= threshold; other buckets are never
// scanned. This bound cannot change a result, it only skips hopeless pairs.

/// Kept token sequences, bucketed by length, for ROUGE-L dedup.
final class DedupIndex: @unchecked Sendable {
  private(set) var texts: [[Int32]] = []
  /// buckets[n] = indexes into `texts` of length n, in insertion order.
  private var buckets: [[Int]] = []
  let threshold: Double

  init(threshold: Double) { self.threshold = threshold }

  /// Adds a kept text (empty texts can never match and are not stored).
  func add(_ tokens: [Int32]) {
    guard !tokens.isEmpty else { return }
    while buckets.count <= tokens.count { buckets.append([]) }
    buckets[tokens.count].append(texts.count)
    texts.append(tokens)
  }

  /// True when `f` is above the threshold, as self-instruct decides it (`max(rouge_scores) > 0.7`
  /// in Alpaca's and BELLE's scripts); at threshold 1, when the texts' tokens are the same.
  @inline(__always) func matches(lcs: Int, m: Int, n: Int) -> Bool {
    let f = RougeL.score(lcs: lcs, candidateCount: m, referenceCount: n).f
    return f > threshold || (threshold >= 1 && f >= 1)
  }

  /// Lengths n worth scanning for a text of length m (the bound above,
  /// with a little slack so rounding can never skip a real match).
  func lengthRange(_ m: Int) -> ClosedRange<Int>? {
    guard m > 0, buckets.count > 1 else { return nil }
    let t = threshold
    let lo = max(1, Int((t * Double(m) / (2 - t)).rounded(.down)) - 1)
    let hi = min(buckets.count - 1, Int((Double(m) * (2 - t) / t).rounded(.up)) + 1)
    return lo <= hi ? lo...hi : nil
  }

  /// True if some stored text among the first `limit` (by insertion) has
  /// ROUGE-L F >= threshold against the candidate loaded in `matcher`.
  func anyMatch(_ matcher: DedupMatcher, limit: Int = .max) -> Bool {
    let m = matcher.count
    guard let range = lengthRange(m) else { return false }
    for n in range {
      if RougeL.bestPossibleF(m, n) < threshold - 1e-9 { continue }
      for k in buckets[n] {
        if k >= limit { break }
        if matches(lcs: matcher.lcs(texts[k]), m: m, n: n) { return true }
      }
    }
    return false
  }
}
