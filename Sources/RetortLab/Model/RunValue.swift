// A training run in the language: loss series, eval loss, throughput, the
// config; it renders a short summary and its loss chart (no wall-clock
// numbers, so session logs replay deterministically).

import Foundation
import RetortFiles
import RetortLang
import RetortModels

/// The result of `m.train(...)` as a language value.
final class RunValue: HostObject {
  static let type = TypeInfo("Run", doc: "A training run: loss curve, eval loss, throughput and config.") { t in
    t.property("loss", "Mean token loss of each optimizer step.") { (r: RunValue) in .list(r.run.loss.map { .float(Double($0)) }) }
    t.property("lr", "Learning rate of each step.") { (r: RunValue) in .list(r.run.lr.map { .float(Double($0)) }) }
    t.property("eval_loss", "Eval losses (at eval_steps).") { (r: RunValue) in .list(r.run.evalLoss.map { .float(Double($0)) }) }
    t.property("eval_steps", "Steps (1-based) at which the eval loss was measured.") { (r: RunValue) in .list(r.run.evalSteps.map { .int($0) }) }
    t.property("steps", "Steps completed.") { (r: RunValue) in .int(r.run.steps) }
    t.property("tokens", "Tokens processed.") { (r: RunValue) in .int(r.run.tokens) }
    t.property("rows", "Rows trained (packed or padded sequences; data[\"rows\"] of them make an epoch, and an epoch's last step is short, so epochs=1 trains each once).") {
      (r: RunValue) in .int(r.run.rows)
    }
    t.property("tokens_per_s", "Training throughput (tokens per second).") { (r: RunValue) in .float(r.run.tokensPerSecond) }
    t.property("wall_s", "Wall time of the run in seconds.") { (r: RunValue) in .float(r.run.wallTime) }
    t.property("trainable", "Parameters the run updated (the adapters for LoRA).") { (r: RunValue) in .int(r.run.trainableParameters) }
    t.property("cancelled", "Whether Ctrl-C stopped the run early.") { (r: RunValue) in .bool(r.run.cancelled) }
    t.property("config", "The options the run used.") { (r: RunValue) in r.config }
    t.property("data", "What became of the training data: examples, truncated (cut to seq), skipped (nothing left to train), spanning (texts over several rows), rows and scored tokens per epoch, fill (share of row positions holding tokens), and the eval data's examples, truncated and skipped.") {
      (r: RunValue) in r.data
    }
    t.method("chart", [.optional("width", "60"), .optional("height", "10")], "The loss curve as a text chart.") {
      (r: RunValue, a: inout Args) in
      let (w, h) = try chartSize(a)
      return .object(TextBlockValue(r.run.chart(width: w, height: h)))
    }
    t.method("compare", [.variadic("others"), .optional("names", "[\"run 1\", \"run 2\", ...]")],
             "This run and others side by side: the loss curves in one chart (a symbol per run) and a table of steps, tokens, trainable parameters and losses; save() writes JSON or CSV.") {
      (r: RunValue, a: inout Args) in
      var runs = [r.run]
      for (i, v) in a.rest.enumerated() {
        guard case .object(let o as RunValue) = v else {
          throw ScriptError("compare(): argument \(i + 1) is \(v.typeNameWithArticle); expected a Run (from m.train)")
        }
        runs.append(o.run)
      }
      var names = runs.indices.map { "run \($0 + 1)" }
      if a.has("names") {
        let given = try a.strings("names")
        guard given.count == runs.count else {
          throw ScriptError("compare(): argument 'names' has \(counted(given.count, "name")) for \(runs.count) runs")
        }
        names = given
      }
      if let dup = names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
        throw ScriptError("compare(): names[\(dup)] is \"\(names[dup])\" again; each run needs its own name (the chart and table tell them apart by it)")
      }
      return .object(RunComparisonValue(RunComparison(Array(zip(names, runs)).map { (name: $0.0, run: $0.1) })))
    }
    t.method("save", [.required("path")], "Write the run atomically: .csv (step, loss, lr and eval_loss per step) or .json (options, data and every series).") {
      (r: RunValue, a: inout Args) in
      try modelCall { try RunComparison([(name: "run", run: r.run)]).save(to: try a.path("path")) }
      return .none
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let run: TrainRun
  /// The data the run evaluated on: `resume=run` goes on evaluating on it.
  let evalData: TrainingData?
  init(_ run: TrainRun, evalData: TrainingData? = nil) {
    self.run = run
    self.evalData = evalData
  }

  var config: Value {
    let o = run.options
    // Floats as written (0.03, not 0.029999999329447746): Float's shortest decimal form.
    func num(_ f: Float) -> Value { .float(Double("\(f)") ?? Double(f)) }
    return .map([
      ("epochs", o.epochs.map { .int($0) } ?? .none), ("steps", .int(run.plannedSteps)), ("lr", num(o.lr)),
      ("schedule", .string(o.schedule.rawValue)), ("warmup", .int(o.warmup)), ("min_lr_ratio", num(o.minLRRatio)),
      ("batch", .int(o.batch)), ("seq", o.seq.map { .int($0) } ?? .none), ("grad_accum", .int(o.gradAccum)),
      ("weight_decay", num(o.weightDecay)), ("clip", num(o.clip)), ("seed", .int(o.seed)),
      ("template", .string(o.template.rawValue)), ("packing", .bool(o.packing)), ("eval_every", .int(o.evalEvery)),
      ("checkpointing", .bool(o.gradientCheckpointing)), ("checkpoint", o.checkpoint.map { .string($0) } ?? .none),
      ("checkpoint_every", .int(o.checkpointEvery)),
    ])
  }

  var data: Value {
    let d = run.data
    return .map([
      ("examples", .int(d.examples)), ("truncated", .int(d.truncated)), ("skipped", .int(d.skipped)),
      ("spanning", .int(d.spanning)), ("rows", .int(d.rows)), ("scored_tokens", .int(d.scoredTokens)),
      ("fill", .float((d.fill * 1000).rounded() / 1000)), ("eval_examples", .int(d.evalExamples)),
      ("eval_truncated", .int(d.evalTruncated)), ("eval_skipped", .int(d.evalSkipped)),
    ])
  }

  /// The line `train` prints before its first step when examples were cut or skipped.
  static func dataWarning(_ d: TrainDataStats, seq: Int) -> String? {
    var parts: [String] = []
    if d.truncated > 0 { parts.append("\(d.truncated) truncated to seq=\(seq) tokens (their tails are not trained)") }
    if d.skipped > 0 { parts.append("\(d.skipped) skipped (nothing left to train: the prompt fills the row)") }
    var lines: [String] = []
    if !parts.isEmpty { lines.append("train: of \(counted(d.examples, "example")), " + parts.joined(separator: "; ")) }
    var evalParts: [String] = []
    if d.evalTruncated > 0 { evalParts.append("\(d.evalTruncated) truncated to seq=\(seq) tokens") }
    if d.evalSkipped > 0 { evalParts.append("\(d.evalSkipped) left out (nothing to score within the row)") }
    if !evalParts.isEmpty { lines.append("train: of \(counted(d.evalExamples, "eval example")), " + evalParts.joined(separator: "; ")) }
    return lines.isEmpty ? nil : lines.joined(separator: "\n")
  }

  /// The first line of the display: steps, loss, parameters, tokens.
  var headLine: String {
    let r = run
    func f(_ v: Float) -> String { String(format: "%.3f", Double(v)) }
    var head = "Run(\(r.steps)" + (r.steps < r.plannedSteps ? " of \(r.plannedSteps)" : "") + (r.plannedSteps == 1 ? " step" : " steps")
    if let first = r.loss.first, let last = r.loss.last { head += ", loss \(f(first)) -> \(f(last))" }
    if let e = r.evalLoss.last { head += ", eval loss \(f(e))" }
    head += ", \(counted(r.trainableParameters, "trainable parameter")), \(counted(r.tokens, "token"))"
    return head + (r.cancelled ? ", interrupted)" : ")")
  }

  var brief: String { headLine }

  func render(_ context: RenderContext) throws -> String {
    let r = run
    let head = headLine
    let o = r.options
    let cfg = "  lr " + String(format: "%g", Double(o.lr)) + " \(o.schedule.rawValue), batch \(o.batch) x seq \(o.seq ?? 0)"
      + (o.gradAccum > 1 ? " x \(o.gradAccum) accumulated" : "") + ", template \(o.template.rawValue), seed \(o.seed)"
    let d = r.data
    var data = "  data: \(counted(d.examples, "example")) -> \(counted(d.rows, "row")) per epoch, \(Int((d.fill * 100).rounded()))% filled, "
      + "\(counted(d.scoredTokens, "trained token"))"
    if d.truncated > 0 { data += ", \(d.truncated) truncated" }
    if d.skipped > 0 { data += ", \(d.skipped) skipped" }
    if d.spanning > 0 { data += ", \(d.spanning) spanning rows" }
    return head + "\n" + cfg + "\n" + data + "\n" + r.chart(width: min(60, max(4, r.loss.count)), height: 8)
  }
}

/// Runs side by side (`run.compare(...)`).
final class RunComparisonValue: HostObject {
  static let type = TypeInfo("RunComparison", doc: "Training runs side by side: loss curves in one chart and a table.") { t in
    t.property("names", "The runs' names, in order.") { (c: RunComparisonValue) in .list(c.comparison.runs.map { .string($0.name) }) }
    t.method("chart", [.optional("width", "60"), .optional("height", "10")], "The overlaid loss curves as a text chart.") {
      (c: RunComparisonValue, a: inout Args) in
      let (w, h) = try chartSize(a)
      return .object(TextBlockValue(c.comparison.chart(width: w, height: h)))
    }
    t.method("save", [.required("path")], "Write the runs atomically: .csv (each run's loss per step) or .json (names, options, data, every series).") {
      (c: RunComparisonValue, a: inout Args) in
      try modelCall { try c.comparison.save(to: try a.path("path")) }
      return .none
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let comparison: RunComparison
  init(_ c: RunComparison) { comparison = c }

  func render(_ context: RenderContext) throws -> String {
    comparison.table() + "\n" + comparison.chart(width: min(60, max(4, comparison.runs.map(\.run.loss.count).max() ?? 1)), height: 10)
  }
}

/// `chart()`'s width and height, checked.
private func chartSize(_ a: Args) throws -> (width: Int, height: Int) {
  let w = try a.int("width", default: 60), h = try a.int("height", default: 10)
  guard w >= 4, w <= 1000 else { throw ScriptError("chart(): argument 'width' must be in 4...1000, got \(w)") }
  guard h >= 2, h <= 200 else { throw ScriptError("chart(): argument 'height' must be in 2...200, got \(h)") }
  return (w, h)
}
