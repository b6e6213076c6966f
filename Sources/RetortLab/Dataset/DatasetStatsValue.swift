// `ds.stats()`: per-category counts and length distributions, shown as a
// table and reachable as data (`st["math"]["output"]["p95"]`, `st.rows`).

import Foundation
import RetortData
import RetortLang

/// Statistics of a dataset per category.
final class DatasetStatsValue: HostObject {
  static let type = TypeInfo("DatasetStats", doc: "Per-category count and length (mean/median/p95/max) of instruction, input, output.") { t in
    t.property("rows", "One map per category (and a final \"all\" row).") { (s: DatasetStatsValue) in
      .list(s.stats.map(DatasetStatsValue.row))
    }
    t.property("unit", "\"characters\" or \"tokens\".") { (s: DatasetStatsValue) in .string(s.unit) }
  }

  var typeInfo: TypeInfo { Self.type }
  let stats: [Dataset.CategoryStats]
  let unit: String

  init(_ stats: [Dataset.CategoryStats], unit: String) {
    self.stats = stats
    self.unit = unit
  }

  static func summary(_ s: Dataset.LengthSummary) -> Value {
    .map([("mean", .float(s.mean)), ("median", .float(s.median)), ("p95", .float(s.p95)), ("max", .int(s.max))])
  }

  static func row(_ s: Dataset.CategoryStats) -> Value {
    .map([("category", .string(s.label)), ("count", .int(s.count)), ("instruction", summary(s.instruction)),
          ("input", summary(s.input)), ("output", summary(s.output))])
  }

  func render(_ context: RenderContext) throws -> String {
    func cell(_ s: Dataset.LengthSummary) -> String {
      // One decimal as Python's f"{x:.1f}" (and the language's f-strings) give it: the double's exact value, ties to even.
      "\(String(format: "%.1f", s.mean)) / \(Display.formatFloat(s.median)) / \(String(format: "%.1f", s.p95)) / \(s.max)"
    }
    // The input column is left out when no record has an input (BELLE's eval set).
    let hasInput = stats.contains { $0.input.max > 0 }
    let rows = stats.map { s in
      [s.label.isEmpty ? "(none)" : s.label, String(s.count), cell(s.instruction)]
        + (hasInput ? [cell(s.input)] : []) + [cell(s.output)]
    }
    let headers = ["category", "count", "instruction"] + (hasInput ? ["input"] : []) + ["output"]
    let title = "length in \(unit): mean / median / p95 / max" + (hasInput ? "" : " (no inputs)")
    return title + "\n" + Table(headers: headers, rows: rows, rightAligned: [1], whole: Set(1..<headers.count)).render(width: context.width)
  }

  /// `st["math"]`: the row of a category (label compared normalised), or `st["all"]`.
  func getIndex(_ index: [IndexValue]) throws -> Value? {
    guard index.count == 1, case .value(.string(let label)) = index[0] else {
      throw ScriptError("stats are indexed by a category label, e.g. st[\"math\"]")
    }
    let key = CategoryLabel.normalize(label)
    guard let s = stats.first(where: { $0.key == key }) else {
      throw ScriptError("no category '\(label)'; categories are: \(stats.map(\.label).joined(separator: ", "))")
    }
    return DatasetStatsValue.row(s)
  }

  func elements() throws -> [Value]? { stats.map(DatasetStatsValue.row) }
  var length: Int? { stats.count }
}
