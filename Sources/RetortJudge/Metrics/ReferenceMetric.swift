// ReferenceMetric and MetricJudge: judges that compare the answer with the reference answer and
// need no model. Per-item scores are in [0, 1]: ROUGE F-measures, sentence BLEU / 100 (sacreBLEU
// `sentence_bleu` defaults), 1/0 for exact, numeric and contains. Items without a reference are
// failures ("no reference answer"), not zeros. BLEU also yields corpus BLEU (0...100) over the
// items with a reference.

import RetortData

/// A metric computed against the reference answer.
public enum ReferenceMetric: Sendable, Equatable, Codable {
  /// ROUGE-L F-measure (shared tokenizer, rouge-score's formula).
  case rougeL
  /// ROUGE-N F-measure for n = 1 or 2 (or higher).
  case rouge(n: Int)
  /// sacreBLEU sentence BLEU / 100; nil tokenizer picks `zh` when the texts contain CJK, else `13a`.
  case bleu(tokenizer: BLEUTokenizer?)
  /// 1 when the normalised answer equals the normalised reference.
  case exact
  /// 1 when the final numbers agree within the relative tolerance.
  case numeric(tolerance: Double)
  /// 1 when the normalised reference occurs in the normalised answer.
  case contains

  /// The metric's name as the language shows it (`rouge_l`, `rouge_1`, `bleu`, ...).
  public var name: String {
    switch self {
    case .rougeL: return "rouge_l"
    case .rouge(let n): return "rouge_\(n)"
    case .bleu: return "bleu"
    case .exact: return "exact"
    case .numeric: return "numeric"
    case .contains: return "contains"
    }
  }

  /// The score of one answer against one reference, in [0, 1].
  /// - Throws: `JudgeError.invalidArgument` for a numeric reference with no number.
  public func score(answer: String, reference: String) throws -> Double {
    switch self {
    case .rougeL: return RougeL.score(candidate: answer, reference: reference).f
    case .rouge(let n): return RougeN.score(candidate: answer, reference: reference, n: n).f
    case .bleu(let tok):
      let t = tok ?? Self.autoTokenizer([answer, reference])
      return BLEU.sentence(tokenizer: t).sentenceScore(answer, references: [reference]).score / 100
    case .exact: return TextMatch.exact(answer, reference) ? 1 : 0
    case .numeric(let tol): return try NumericMatch.matches(answer, reference, tolerance: tol) ? 1 : 0
    case .contains: return TextMatch.contains(answer, reference) ? 1 : 0
    }
  }

  /// `zh` when any text contains a CJK character, else `13a`.
  static func autoTokenizer(_ texts: [String]) -> BLEUTokenizer {
    texts.contains { $0.unicodeScalars.contains { MetricTokenizer.isCJK($0.value) } } ? .zh : .v13a
  }
}

/// A judge that scores with a reference metric.
public struct MetricJudge: Judge {
  /// The metric.
  public var metric: ReferenceMetric

  /// Creates a metric judge.
  public init(_ metric: ReferenceMetric) { self.metric = metric }

  public var name: String { metric.name }

  /// Scores synchronously (metrics need no I/O); progress is reported every 64 items.
  public func scoreSync(
    _ items: [JudgeItem], progress: ((JudgeProgress) -> Void)? = nil, isCancelled: (() -> Bool)? = nil
  ) -> ScoreSet {
    var out: [ScoredItem] = []
    out.reserveCapacity(items.count)
    var failures = 0
    var cancelled = false
    let clock = ContinuousClock(), start = clock.now
    func report() {
      let e = start.duration(to: clock.now)
      let secs = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
      progress?(JudgeProgress(done: out.count, total: items.count, failures: failures, cached: 0, elapsed: secs))
    }
    for item in items {
      if isCancelled?() == true { cancelled = true; break }
      var scored = ScoredItem(item: item, score: nil, repeatScores: [nil], replies: [nil], failures: [])
      if let ref = item.nonEmptyReference {
        do {
          let s = try metric.score(answer: item.answer, reference: ref)
          scored.score = s
          scored.repeatScores = [s]
        } catch {
          scored.failures = [.metric("\(error)")]
        }
      } else {
        scored.failures = [.metric("no reference answer")]
      }
      if scored.failed { failures += 1 }
      out.append(scored)
      if out.count % 64 == 0 { report() }
    }
    report()
    var corpus: Double?
    if case .bleu(let tok) = metric {
      let withRef = out.compactMap { s in s.item.nonEmptyReference.map { (s.item.answer, $0) } }
      if !withRef.isEmpty {
        let t = tok ?? ReferenceMetric.autoTokenizer(withRef.flatMap { [$0.0, $0.1] })
        corpus = try? BLEU(tokenizer: t).corpusScore(withRef.map(\.0), references: withRef.map { [$0.1] }).score
      }
    }
    return ScoreSet(judge: name, items: out, corpusScore: corpus, cancelled: cancelled)
  }

  public func score(
    _ items: [JudgeItem], progress: (@Sendable (JudgeProgress) -> Void)?,
    isCancelled: (@Sendable () -> Bool)?
  ) async throws -> ScoreSet {
    scoreSync(items, progress: progress, isCancelled: isCancelled)
  }
}
