// Reports and comparisons in the language.

import Foundation
import RetortJudge
import RetortLang

/// A per-category report.
final class ReportValue: HostObject {
  static let type = TypeInfo("Report", doc: "Per-category judge scores with micro, macro and without-others averages.") { t in
    t.property("title", "Column title in comparisons.") { (r: ReportValue) in .string(r.report.title) }
    t.property("micro", "Mean over all scored items.") { (r: ReportValue) in r.report.micro.stats.mean.map { .float($0) } ?? .none }
    t.property("macro", "Mean of category means.") { (r: ReportValue) in r.report.macro.map { .float($0) } ?? .none }
    t.property("without_others", "Macro mean without math and code (BELLE's 'w/o others').") { (r: ReportValue) in
      r.report.macroWithoutOthers.map { .float($0) } ?? .none
    }
    t.property("categories", "Category -> {count, mean, sd, ci_low, ci_high, failures}.") { (r: ReportValue) in
      .map(r.report.rows.map { row in
        (row.category, .map([
          ("count", .int(row.count)), ("mean", row.stats.mean.map { .float($0) } ?? .none),
          ("sd", row.stats.standardDeviation.map { .float($0) } ?? .none),
          ("ci_low", row.stats.ciLow.map { .float($0) } ?? .none), ("ci_high", row.stats.ciHigh.map { .float($0) } ?? .none),
          ("failures", .int(row.failures)),
        ]))
      })
    }
    t.method("compare", [.variadic("others")], "Side by side with other reports, deltas against this one.") {
      (r: ReportValue, a: inout Args) in
      var others: [JudgeReport] = []
      for (i, v) in a.rest.enumerated() {
        guard case .object(let o as ReportValue) = v else { throw ScriptError("compare(): argument \(i + 1) is \(v.typeNameWithArticle); expected a report") }
        others.append(o.report)
      }
      return .object(ComparisonValue(r.report.compare(others)))
    }
    t.method("save", [.required("path")], "Write JSON and CSV (path.json, path.csv; or just one by extension).") {
      (r: ReportValue, a: inout Args) in
      let written: [String]
      do { written = try r.report.save(to: try a.path("path")) } catch { throw ScriptError("\(error)") }
      a.interpreter.output("saved to " + written.joined(separator: " and ") + "\n")
      return .none
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let report: JudgeReport
  init(_ report: JudgeReport) { self.report = report }

  func render(_ context: RenderContext) throws -> String {
    report.render(barWidth: max(10, min(30, context.width - 80))).trimmingCharacters(in: .newlines)
  }
}

/// Several reports side by side.
final class ComparisonValue: HostObject {
  static let type = TypeInfo("Comparison", doc: "Reports side by side, one column each, with deltas against the first.") { t in
    t.method("save", [.required("path")], "Write JSON and CSV (path.json, path.csv; or just one by extension).") {
      (c: ComparisonValue, a: inout Args) in
      let written: [String]
      do { written = try c.comparison.save(to: try a.path("path")) } catch { throw ScriptError("\(error)") }
      a.interpreter.output("saved to " + written.joined(separator: " and ") + "\n")
      return .none
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let comparison: ReportComparison
  init(_ c: ReportComparison) { comparison = c }

  func render(_ context: RenderContext) throws -> String { comparison.render().trimmingCharacters(in: .newlines) }
}
