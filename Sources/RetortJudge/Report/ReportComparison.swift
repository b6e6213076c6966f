// ReportComparison: several reports side by side, one column per model / data size, as in the
// BELLE papers' tables, with each column's delta against the first (the baseline).
// Rows are the union of categories (normalised), in the first report's order, then
// overall (micro), macro and "without others".

import Foundation

/// Reports side by side.
public struct ReportComparison: Sendable, Codable, Equatable {
  /// Column titles.
  public var titles: [String]
  /// Row names.
  public var rowNames: [String]
  /// means[row][column]; nil where a report lacks the category or has no score.
  public var means: [[Double?]]
  /// Set when the reports scored different numbers of items in some category: their
  /// overall rows then average different questions.
  public var note: String?

  /// Compares `reports` (the first is the baseline for deltas).
  /// - Throws: `JudgeError.invalidArgument` when given no reports.
  public init(_ reports: [JudgeReport]) throws {
    guard !reports.isEmpty else { throw JudgeError.invalidArgument("compare: expected at least one report") }
    self.init(nonEmpty: reports)
  }

  init(nonEmpty reports: [JudgeReport]) {
    titles = reports.map(\.title)
    var names: [String] = []
    var seen = Set<String>()
    for r in reports { for row in r.rows where seen.insert(CategoryName.normalize(row.category)).inserted { names.append(row.category) } }
    rowNames = names + ["overall (micro)", "macro", "without others"]
    means = names.map { n in reports.map { $0.row(n)?.stats.mean } }
    means.append(reports.map(\.micro.stats.mean))
    means.append(reports.map(\.macro))
    means.append(reports.map(\.macroWithoutOthers))
    let differing = names.compactMap { n -> String? in
      // Scored items: a row whose items all failed (no reference for ROUGE) averages none of them.
      let counts = reports.map { r in r.row(n).map { $0.count - $0.failures } ?? 0 }
      return Set(counts).count > 1 ? "\(n) " + counts.map(String.init).joined(separator: " vs ") : nil
    }
    var notes: [String] = []
    if !differing.isEmpty {
      notes.append("the reports scored different items (\(differing.prefix(3).joined(separator: "; "))"
        + (differing.count > 3 ? "; ..." : "") + "), so their rows compare different questions")
    }
    // An interrupted run's report covers the items judged before Ctrl-C: say which columns are.
    let stopped = reports.filter(\.cancelled).map { $0.title.isEmpty ? "untitled" : $0.title }
    if !stopped.isEmpty {
      notes.append("\(stopped.joined(separator: ", ")) \(stopped.count == 1 ? "was an interrupted run" : "were interrupted runs"); rerun with the same ledger to finish")
    }
    note = notes.isEmpty ? nil : notes.joined(separator: "; ")
  }

  /// Delta of `column` against column 0 in `row`, nil when either is missing.
  public func delta(row: Int, column: Int) -> Double? {
    guard let a = means[row][column], let b = means[row][0] else { return nil }
    return a - b
  }

  /// The table as text: mean per column, and "(+0.012)" deltas for columns after the first.
  public func render() -> String {
    let nameWidth = max(16, (rowNames.map(DisplayWidth.of).max() ?? 0) + 1)
    let colWidth = max(16, (titles.map(DisplayWidth.of).max() ?? 0) + 1)
    var out = DisplayWidth.pad("category", to: nameWidth)
    for t in titles { out += DisplayWidth.pad(t, to: colWidth, alignRight: true) }
    out += "\n"
    for (r, name) in rowNames.enumerated() {
      if r == rowNames.count - 3 { out += String(repeating: "-", count: nameWidth + colWidth * titles.count) + "\n" }
      out += DisplayWidth.pad(name, to: nameWidth)
      for c in titles.indices {
        var cell = means[r][c].map { String(format: "%.3f", $0) } ?? "-"
        if c > 0, let d = delta(row: r, column: c) { cell += String(format: " (%+.3f)", d) }
        out += DisplayWidth.pad(cell, to: colWidth, alignRight: true)
      }
      out += "\n"
    }
    if let note { out += "note: \(note)\n" }
    return out
  }

  /// CSV: category, then per report its mean and (after the first) its delta.
  public func csv() -> String {
    var header = ["category"]
    for (i, t) in titles.enumerated() { header.append(t); if i > 0 { header.append("\(t) delta") } }
    var lines = [header.map(CSV.field).joined(separator: ",")]
    for (r, name) in rowNames.enumerated() {
      var cells = [CSV.field(name)]
      for c in titles.indices {
        cells.append(CSV.number(means[r][c]))
        if c > 0 { cells.append(CSV.number(delta(row: r, column: c))) }
      }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension JudgeReport {
  /// This report and `others` side by side, this one as the baseline.
  public func compare(_ others: [JudgeReport]) -> ReportComparison {
    ReportComparison(nonEmpty: [self] + others)
  }
}
