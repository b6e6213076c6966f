// ScoreSet: the result of `score(items)` for any judge, and the `Judge` protocol.

/// Any judge: a reference metric, an LLM over HTTP, or a local model.
public protocol Judge: Sendable {
  /// A short description for reports, e.g. `rouge_l` or `llm gpt-4o`.
  var name: String { get }
  /// Scores every item. Cancellation stops early and keeps what was done (`ScoreSet.cancelled`).
  /// - Throws: configuration errors found before any work (missing prompts, missing fields).
  func score(
    _ items: [JudgeItem], progress: (@Sendable (JudgeProgress) -> Void)?,
    isCancelled: (@Sendable () -> Bool)?
  ) async throws -> ScoreSet
}

/// Scored items plus run facts.
public struct ScoreSet: Sendable, Codable, Equatable {
  /// The judge's name.
  public var judge: String
  /// One entry per input item, in input order.
  public var items: [ScoredItem]
  /// A corpus-level score when the metric has one (corpus BLEU on 0...100), else nil.
  public var corpusScore: Double?
  /// Judge calls made over the network / backend in this run.
  public var liveCalls: Int
  /// Judge calls answered from the ledger.
  public var cachedCalls: Int
  /// Judge calls that failed after their retries (no reply: HTTP errors, timeouts, refused connections).
  public var failedCalls: Int?
  /// Model versions the endpoint reported (distinct, sorted); empty for metrics.
  public var judgeModelVersions: [String]
  /// True when the run was cancelled before finishing (Ctrl-C, or it gave up on a failing judge).
  public var cancelled: Bool
  /// Why the run gave up before the end (judge calls failing in a row); nil otherwise.
  public var stopReason: String?

  /// Creates a score set.
  public init(
    judge: String, items: [ScoredItem], corpusScore: Double? = nil, liveCalls: Int = 0,
    cachedCalls: Int = 0, failedCalls: Int? = nil, judgeModelVersions: [String] = [], cancelled: Bool = false,
    stopReason: String? = nil
  ) {
    self.judge = judge
    self.items = items
    self.corpusScore = corpusScore
    self.liveCalls = liveCalls
    self.cachedCalls = cachedCalls
    self.failedCalls = failedCalls
    self.judgeModelVersions = judgeModelVersions
    self.cancelled = cancelled
    self.stopReason = stopReason
  }

  /// Items with no score.
  public var failures: [ScoredItem] { items.filter(\.failed) }
  /// Scored items whose score averages only some of their repeats (the others failed).
  public var partiallyScored: [ScoredItem] {
    items.filter { !$0.failed && $0.repeatScores.contains(where: { $0 == nil }) }
  }
  /// Mean score over scored items (micro average), nil when none.
  public var mean: Double? {
    let s = items.compactMap(\.score)
    return s.isEmpty ? nil : s.reduce(0, +) / Double(s.count)
  }
}
