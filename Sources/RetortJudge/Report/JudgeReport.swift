// JudgeReport: the per-category table of the BELLE papers, from a `ScoreSet`.
// Rows: one per category (labels grouped by normalised name, shown as first written), ordered by
// item count (then name), each with count, failures and the statistics of the scored items (the
// 95% interval clipped to [0, 1], the range of scores).
// Overall: micro (all scored items), macro (mean of the category means) and BELLE's
// "without others" macro average, which leaves out math and code — the classes the BELLE papers
// regroup as "other" (eval/README.md: 我们将数学和代码任务重新分类为other) — and any category named other(s).

/// Per-category statistics.
public struct CategoryRow: Sendable, Codable, Equatable {
  /// Category label (as first written in the items).
  public var category: String
  /// Items in the category.
  public var count: Int
  /// Items with no score.
  public var failures: Int
  /// Statistics of the scored items.
  public var stats: SummaryStatistics
}

/// A per-category report of one scored run.
public struct JudgeReport: Sendable, Codable, Equatable {
  /// Title (model, data size, ...), used as the column name in comparisons.
  public var title: String
  /// The judge's name.
  public var judge: String
  /// One row per category.
  public var rows: [CategoryRow]
  /// All scored items together.
  public var micro: CategoryRow
  /// Mean of the category means (categories with at least one score).
  public var macro: Double?
  /// Mean of the category means without math, code and other(s).
  public var macroWithoutOthers: Double?
  /// Corpus-level score of the metric (corpus BLEU), if any.
  public var corpusScore: Double?
  /// True when the run was cancelled before finishing.
  public var cancelled: Bool

  /// Normalised categories excluded from the "without others" average.
  public static let otherCategories: Set<String> = ["math", "code", "other", "others"]

  /// Builds the report of `set`.
  public init(_ set: ScoreSet, title: String) {
    self.title = title
    judge = set.judge
    corpusScore = set.corpusScore
    cancelled = set.cancelled
    var order: [String] = []
    var groups: [String: (label: String, items: [ScoredItem])] = [:]
    for s in set.items {
      let n = CategoryName.normalize(s.item.category)
      if groups[n] == nil { order.append(n); groups[n] = (s.item.category, []) }
      groups[n]?.items.append(s)
    }
    func row(_ label: String, _ items: [ScoredItem]) -> CategoryRow {
      CategoryRow(category: label, count: items.count, failures: items.filter(\.failed).count,
                  stats: SummaryStatistics(items.compactMap(\.score), bounds: 0...1))
    }
    rows = order.compactMap { n in groups[n].map { row($0.label, $0.items) } }
      .sorted { ($0.count, $1.category) > ($1.count, $0.category) }
    micro = row("overall", set.items)
    let means = order.compactMap { n in groups[n].flatMap { g in SummaryStatistics(g.items.compactMap(\.score)).mean.map { (n, $0) } } }
    macro = means.isEmpty ? nil : means.map(\.1).reduce(0, +) / Double(means.count)
    let kept = means.filter { !Self.otherCategories.contains($0.0) }
    macroWithoutOthers = kept.isEmpty ? nil : kept.map(\.1).reduce(0, +) / Double(kept.count)
  }

  /// The row of a category (matched in normalised form).
  public func row(_ category: String) -> CategoryRow? {
    let n = CategoryName.normalize(category)
    return rows.first { CategoryName.normalize($0.category) == n }
  }
}

extension ScoreSet {
  /// The per-category report of this run.
  public func report(title: String? = nil) -> JudgeReport { JudgeReport(self, title: title ?? judge) }
}
