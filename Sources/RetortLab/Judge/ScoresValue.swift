// Scores in the language: the result of `j.score(answers)`.

import Foundation
import RetortData
import RetortFiles
import RetortJudge
import RetortLang

/// A scored run: per-item scores, repeats, replies and failures.
final class ScoresValue: HostObject {
  static let type = TypeInfo("Scores", doc: "Scores of a judged dataset: per item score, repeat scores, replies, failures. s[i] is item i as a map {id, category, score, scores, replies, failures}; len(s) and `for item in s` go over the items.") { t in
    t.property("count", "Number of items.") { (s: ScoresValue) in .int(s.result.items.count) }
    t.property("mean", "Mean score over scored items (micro), or nil.") { (s: ScoresValue) in s.result.mean.map { .float($0) } ?? .none }
    t.property("scores", "Per-item score (nil where it failed).") { (s: ScoresValue) in
      .list(s.result.items.map { $0.score.map { .float($0) } ?? .none })
    }
    t.property("failures", "Failed items as maps {id, category, failures}.") { (s: ScoresValue) in
      failureMaps(s.result.failures)
    }
    t.property("failed_repeats", "Scored items some of whose repeats failed (their score averages the others), as maps {id, category, failures}.") {
      (s: ScoresValue) in failureMaps(s.result.partiallyScored)
    }
    t.property("corpus", "Corpus-level score (corpus BLEU, 0-100) or nil.") { (s: ScoresValue) in s.result.corpusScore.map { .float($0) } ?? .none }
    t.property("cancelled", "True when judging was interrupted.") { (s: ScoresValue) in .bool(s.result.cancelled) }
    t.property("model_versions", "The model versions the judge endpoint reported (from replies, cached ones included).") {
      (s: ScoresValue) in .list(s.result.judgeModelVersions.map { .string($0) })
    }
    t.property("calls", "{live, cached, failed} judge calls: replies from the judge, replies from the ledger, calls that got no reply after their retries.") { (s: ScoresValue) in
      .map([("live", .int(s.result.liveCalls)), ("cached", .int(s.result.cachedCalls)), ("failed", .int(s.result.failedCalls ?? 0))])
    }
    t.property("dataset", "The answers with score, scores, replies and failures fields added (for loaded scores: id, instruction, output, answer and category as the judge saw them).") { (s: ScoresValue) in
      .object(DatasetValue(s.scoredDataset()))
    }
    t.method("report", [.optional("title")], "Per-category table: count, mean, sd, 95% CI (a t interval, clipped to [0, 1]), failures; micro, macro, without others.") {
      (s: ScoresValue, a: inout Args) in
      .object(ReportValue(s.result.report(title: try a.optionalString("title"))))
    }
    t.method("save", [.required("path")], "Write items as JSON and CSV (path.json, path.csv; or just one by extension).") {
      (s: ScoresValue, a: inout Args) in
      let written: [String]
      do { written = try s.result.save(to: try a.path("path")) } catch { throw ScriptError("\(error)") }
      a.interpreter.output("saved to " + written.joined(separator: " and ") + "\n")
      return .none
    }
  }

  /// Items as maps {id, category, failures} (`s.failures`, `s.failed_repeats`).
  static func failureMaps(_ items: [ScoredItem]) -> Value {
    .list(items.map { f in
      .map([("id", .string(f.item.id)), ("category", .string(f.item.category)),
            ("failures", .list(f.failures.map { .string($0.description) }))])
    })
  }

  var typeInfo: TypeInfo { Self.type }
  let result: ScoreSet
  let dataset: Dataset?

  init(_ set: ScoreSet, dataset: Dataset?) {
    self.result = set
    self.dataset = dataset
  }

  var length: Int? { result.items.count }

  /// `for item in s`: each item as `s[i]` gives it.
  func elements() throws -> [Value]? { result.items.indices.map(itemMap) }

  var brief: String { (try? render(RenderContext())) ?? "<Scores>" }

  func render(_ context: RenderContext) throws -> String {
    let mean = result.mean.map { String(format: "%.4f", $0) } ?? "-"
    var s = "Scores(\(result.items.count) item\(result.items.count == 1 ? "" : "s"), judge \(result.judge), mean \(mean), failures \(result.failures.count)"
    let partial = result.partiallyScored
    if !partial.isEmpty {
      s += ", \(counted(partial.reduce(0) { $0 + $1.failures.count }, "failed repeat")) in \(counted(partial.count, "scored item"))"
    }
    if let c = result.corpusScore { s += ", corpus BLEU " + String(format: "%.2f", c) + "/100" }
    if result.cancelled { s += ", interrupted" }
    return s + ")"
  }

  /// `scores[i]`: a map {id, category, score, scores, replies, failures}.
  func getIndex(_ index: [IndexValue]) throws -> Value? {
    guard index.count == 1, case .value(.int(let i)) = index[0] else { throw ScriptError("scores take one integer index") }
    let n = result.items.count
    let k = i < 0 ? i + n : i
    guard k >= 0 && k < n else { throw ScriptError("index \(i) out of range for \(n) scored items") }
    return itemMap(k)
  }

  /// Item `k` as a map {id, category, score, scores, replies, failures}.
  func itemMap(_ k: Int) -> Value {
    let s = result.items[k]
    return .map([
      ("id", .string(s.item.id)), ("category", .string(s.item.category)), ("score", s.score.map { .float($0) } ?? .none),
      ("scores", .list(s.repeatScores.map { $0.map { .float($0) } ?? .none })),
      ("replies", .list(s.replies.map { $0.map { .string($0) } ?? .none })),
      ("failures", .list(s.failures.map { .string($0.description) })),
    ])
  }

  func scoredDataset() -> Dataset {
    // Scores from judge.load_scores have no dataset: their items hold the question, reference,
    // answer and category the judge saw.
    let ds = dataset ?? Dataset(result.items.map { s in
      var fields: JSONObject = ["id": .string(s.item.id), "instruction": .string(s.item.instruction)]
      if let r = s.item.reference { fields["output"] = .string(r) }
      fields["answer"] = .string(s.item.answer)
      fields["category"] = .string(s.item.category)
      return Record(fields)
    })
    guard ds.count == result.items.count else { return Dataset([]) }
    var records = ds.records
    for (i, s) in result.items.enumerated() {
      records[i].fields["score"] = s.score.map { .double($0) } ?? .null
      records[i].fields["scores"] = .array(s.repeatScores.map { $0.map { .double($0) } ?? .null })
      records[i].fields["replies"] = .array(s.replies.map { $0.map { .string($0) } ?? .null })
      records[i].fields["failures"] = .array(s.failures.map { .string($0.description) })
    }
    return Dataset(records, source: ds.source, schema: ds.schema)
  }
}
