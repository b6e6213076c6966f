// A judge in the language: a reference metric or an LLM judge, with `score(answers)`.

import Foundation
import RetortData
import RetortFiles
import RetortJudge
import RetortLang

/// Any judge as a language value.
final class JudgeValue: HostObject {
  static let type = TypeInfo("Judge", doc: "A judge: a reference metric (rouge_l, bleu, ...) or an LLM judge.") { t in
    t.property("name", "The judge's name.") { (j: JudgeValue) in .string(j.judge.name) }
    t.method(
      "score", [.required("answers")],
      "Score a dataset with instruction, output (reference), answer and category fields; returns Scores."
    ) { (j: JudgeValue, a: inout Args) in
      let ds = try a.object("answers", as: DatasetValue.self, expected: "a dataset with an answer field").ds
      let items = try JudgeValue.items(ds, needCategory: j.needsCategory)
      let set: ScoreSet
      if let metric = j.judge as? MetricJudge {
        // Metrics need no I/O: run on the interpreter's thread.
        let interp = a.interpreter
        let bar = interp.progressFactory("scoring", items.count)
        defer { bar.finish() }
        set = metric.scoreSync(items, progress: { bar.update(done: $0.done, note: "failures \($0.failures)") },
                               isCancelled: { interp.interruptRequested() })
      } else {
        if let llm = j.judge as? LLMJudge {
          // Configuration errors (missing prompts) are found before any work starts.
          do { try llm.prompts.check(categories: items.map(\.category)) } catch { throw ScriptError("score(): \(error)") }
        }
        let judge = j.judge
        set = try JudgeRun.blocking(a.interpreter, label: "judging") { progress, cancelled in
          try await judge.score(items, progress: progress, isCancelled: cancelled)
        }
        // A judge that is down fails every call after its retries: say why here, not only in s.failures.
        let failed = set.failures
        if let first = failed.first?.failures.first, !set.cancelled {
          a.interpreter.output("score(): \(failed.count) of \(set.items.count) item\(set.items.count == 1 ? "" : "s") failed; the first: "
                               + "\(first.description) (s.failures lists them all)\n")
        }
        // An item averaged over fewer repeats than asked is another measurement: say how many.
        let partial = set.partiallyScored
        if let first = partial.first?.failures.first, !set.cancelled {
          let repeats = partial.reduce(0) { $0 + $1.failures.count }
          a.interpreter.output("score(): \(partial.count) item\(partial.count == 1 ? " was" : "s were") scored from only some of their repeats "
                               + "(\(counted(repeats, "repeat")) failed; the first: \(first.description); s.failed_repeats lists them all)\n")
        }
      }
      if set.cancelled {
        let kept = (set.stopReason.map { "judging \($0);" } ?? "judging interrupted:")
          + " kept \(counted(set.items.filter { !$0.failed }.count, "scored item"))"
        var resume = ""
        if let llm = j.judge as? LLMJudge {
          resume = llm.options.ledgerPath != nil
            ? "; rerun with the same ledger to resume" : "; a judge with a ledger= file resumes where it stopped"
        }
        a.interpreter.output(kept + resume + "\n")
      }
      return .object(ScoresValue(set, dataset: ds))
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let judge: any Judge
  let summary: String
  let needsCategory: Bool

  init(_ judge: any Judge, summary: String, needsCategory: Bool) {
    self.judge = judge
    self.summary = summary
    self.needsCategory = needsCategory
  }

  func render(_ context: RenderContext) throws -> String { "Judge(\(summary))" }

  /// Judge items from dataset records: instruction (+ input), output as reference, answer, category.
  /// `function` starts the errors: "score()", or "judge.pairwise(): first" for one of two datasets.
  static func items(_ ds: Dataset, needCategory: Bool, function: String = "score()") throws -> [JudgeItem] {
    var missing: [String: [Int]] = [:]
    var items: [JudgeItem] = []
    for (i, r) in ds.records.enumerated() {
      if !r.has("instruction") { missing["instruction", default: []].append(i) }
      if !r.has("answer") { missing["answer", default: []].append(i) }
      if needCategory && r.category == nil { missing["category", default: []].append(i) }
      // A list or map is no answer text: scoring its rendering would give a quiet 0.
      for field in ["answer", "output"] {
        switch r[field] {
        case .array?: throw ScriptError("\(function): record \(i): \(field) is a list; expected text")
        case .object?: throw ScriptError("\(function): record \(i): \(field) is a map; expected text")
        default: break
        }
      }
      let question = r.input.isEmpty ? r.instruction : r.instruction + "\n" + r.input
      let id = r["id"].map(\.text) ?? "\(i)"
      items.append(JudgeItem(id: id, instruction: question, reference: r.output.isEmpty ? nil : r.output,
                             answer: r.text("answer"), category: r.category ?? ""))
    }
    if !missing.isEmpty {
      let rows = Array(Set(missing.values.flatMap { $0 })).sorted()
      throw ScriptError("\(function): \(JudgeError.missingFields(fields: missing.keys.sorted(), items: rows)) (fields: \(ds.fields.joined(separator: ", ")))")
    }
    do { try JudgeItem.checkInstructions(items.map(\.instruction)) } catch { throw ScriptError("\(function): \(error)") }
    return items
  }
}
