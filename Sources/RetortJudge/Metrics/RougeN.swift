// ROUGE-N as Google's rouge-score computes it (`rouge_scorer._score_ngrams`): n-gram counts with
// clipping, precision = overlap / max(candidate n-grams, 1), recall = overlap / max(reference
// n-grams, 1), F = 2PR/(P+R) (0 when P+R = 0). Tokens come from the shared `MetricTokenizer`
// (one token per CJK character), so Chinese text gets character-level ROUGE as rouge-chinese
// computes it on space-joined characters with `exclusive=False` (rouge-chinese adds 1e-8 to the
// F denominator; the difference is below 1e-7).

import RetortData

/// ROUGE-N (n-gram overlap) between a candidate and a reference.
public enum RougeN {
  /// ROUGE-N of two texts tokenized by `MetricTokenizer`.
  /// - Parameter n: n-gram order, at least 1.
  public static func score(candidate: String, reference: String, n: Int) -> RougeScore {
    score(candidate: MetricTokenizer.tokens(candidate), reference: MetricTokenizer.tokens(reference), n: n)
  }

  /// ROUGE-N of two token sequences.
  public static func score(candidate: [String], reference: [String], n: Int) -> RougeScore {
    let n = max(1, n)
    let c = counts(candidate, n), r = counts(reference, n)
    var overlap = 0
    for (g, k) in r { overlap += min(k, c[g] ?? 0) }
    let cTotal = max(candidate.count - n + 1, 0), rTotal = max(reference.count - n + 1, 0)
    let p = Double(overlap) / Double(max(cTotal, 1))
    let rec = Double(overlap) / Double(max(rTotal, 1))
    let f = p + rec > 0 ? 2 * p * rec / (p + rec) : 0
    return RougeScore(precision: p, recall: rec, f: f)
  }

  static func counts(_ tokens: [String], _ n: Int) -> [ArraySlice<String>: Int] {
    var out: [ArraySlice<String>: Int] = [:]
    guard tokens.count >= n else { return out }
    for i in 0...(tokens.count - n) { out[tokens[i..<(i + n)], default: 0] += 1 }
    return out
  }
}
