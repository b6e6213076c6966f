// Training runs side by side, as the papers compare data sizes and LoRA
// against full fine-tuning: the loss curves overlaid in one terminal chart
// (a symbol per run), a table of what each run did, and the series saved as
// JSON or CSV for plotting elsewhere. Nothing here depends on wall-clock
// time except the saved throughput, so rendered comparisons replay exactly.

import Foundation
import RetortFiles

/// Named training runs to compare.
public struct RunComparison: Sendable {
  public var runs: [(name: String, run: TrainRun)]
  public init(_ runs: [(name: String, run: TrainRun)]) { self.runs = runs }

  /// The symbol that draws run `i`'s curve.
  public static func symbol(_ i: Int) -> Character {
    let symbols: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&"]
    return symbols[i % symbols.count]
  }

  /// The loss curves in one `height`-line chart at most `width` columns wide,
  /// on a shared scale; a column averages the steps it covers (of the
  /// longest run), and the scale runs from the lowest to the highest point
  /// drawn, which the labels give. Where curves meet, the point is drawn `=`
  /// (a run drawn over another would vanish from the chart), and the legend
  /// says so.
  public func chart(width: Int = 60, height: Int = 10) -> String {
    let losses = runs.map(\.run.loss).filter { !$0.isEmpty }
    guard !losses.isEmpty, width >= 4, height >= 2 else { return "(no steps)" }
    // One run's eval losses are drawn too (o), on the same scale; with several runs the symbols name runs.
    let evals: [(step: Int, loss: Float)] = runs.count == 1
      ? zip(runs[0].run.evalSteps, runs[0].run.evalLoss).map { ($0, $1) }.filter { $0.loss.isFinite } : []
    let steps = losses.map(\.count).max() ?? 1
    // Each column averages its steps; with fewer steps than columns, a step spans several
    // (a single step is one column).
    let cols = steps > 1 ? width : 1
    let points: [[Float?]] = runs.map { _, run in
      (0..<cols).map { c in
        let a = c * steps / cols, b = min(run.loss.count, max(a + 1, (c + 1) * steps / cols))
        return a < b ? run.loss[a..<b].reduce(0, +) / Float(b - a) : nil
      }
    }
    let values = points.flatMap { $0.compactMap { $0 } }.filter(\.isFinite) + evals.map(\.loss)
    let lo = values.min() ?? 0, hi = values.max() ?? 1
    let span = max(hi - lo, 1e-6)
    var grid = [[Character]](repeating: [Character](repeating: " ", count: cols), count: height)
    var met = false
    for (i, column) in points.enumerated() {
      for (c, point) in column.enumerated() {
        guard let v = point, v.isFinite else { continue }
        let r = min(height - 1, max(0, Int(((hi - v) / span * Float(height - 1)).rounded())))
        let drawn = grid[r][c]
        if drawn != " " && drawn != Self.symbol(i) {
          grid[r][c] = "="
          met = true
        } else {
          grid[r][c] = Self.symbol(i)
        }
      }
    }
    for e in evals {
      let c = min(cols - 1, max(0, (e.step - 1) * cols / steps))
      let r = Int(((hi - e.loss) / span * Float(height - 1)).rounded())
      grid[min(height - 1, max(0, r))][c] = "o"
    }
    func label(_ v: Float) -> String {
      let s = String(format: "%.3f", Double(v))
      return String(repeating: " ", count: max(0, 8 - s.count)) + s
    }
    var out = ""
    for (i, row) in grid.enumerated() {
      out += (i == 0 ? label(hi) : i == height - 1 ? label(lo) : "        ") + " |" + String(row) + "\n"
    }
    out += "         +" + String(repeating: "-", count: cols) + "\n"
    // "step 1" under the first column, the last step's number ending under the last.
    let last = steps > 1 ? "\(steps)" : ""
    out += "          step 1" + String(repeating: " ", count: last.isEmpty ? 0 : max(1, cols - 6 - last.count)) + last
    if !evals.isEmpty {
      out += "\n          * train loss   o eval loss"
    } else if runs.count > 1 {
      out += "\n          " + runs.enumerated().map { "\(Self.symbol($0.offset)) \($0.element.name)" }.joined(separator: "   ")
        + (met ? "   = several" : "")
    }
    return out
  }

  /// One line per run: steps, tokens, trainable parameters, first, last and
  /// lowest loss, and the last eval loss.
  public func table() -> String {
    let headers = ["run", "steps", "tokens", "trainable", "first loss", "last loss", "min loss", "eval loss"]
    func f(_ v: Float?) -> String { v.map { String(format: "%.3f", Double($0)) } ?? "-" }
    let rows = runs.map { name, r in
      [name, "\(r.steps)", "\(r.tokens)", "\(r.trainableParameters)", f(r.loss.first), f(r.loss.last), f(r.loss.min()),
       f(r.evalLoss.last)]
    }
    let widths = headers.indices.map { c in ([headers[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, s in
        let pad = String(repeating: " ", count: widths[c] - s.count)
        return c == 0 ? s + pad : pad + s
      }.joined(separator: "  ")
    }
    return ([line(headers)] + rows.map(line)).joined(separator: "\n")
  }

  /// Writes the runs to `path`, atomically: `.csv` is one row per step with each
  /// run's loss; `.json` has names, options, data, every series and throughput.
  /// Any other extension is an error.
  public func save(to path: String) throws {
    let ext = (path as NSString).pathExtension.lowercased()
    guard ext == "csv" || ext == "json" else {
      throw ModelError("save: \(path): expected a .csv or .json file name, got \(ext.isEmpty ? "none" : "." + ext)")
    }
    let text = ext == "csv" ? csv() : try json()
    try AtomicFile.write(Array(text.utf8), to: path)
  }

  /// `step,<name>,...` with each run's loss at that step (empty past its end);
  /// for one run, `step,loss,lr,eval_loss` (eval_loss empty between evaluations).
  public func csv() -> String {
    func field(_ s: String) -> String {
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    if runs.count == 1, let r = runs.first?.run {
      let evals = Dictionary(zip(r.evalSteps, r.evalLoss), uniquingKeysWith: { _, last in last })
      var out = "step,loss,lr,eval_loss\n"
      for s in 0..<r.loss.count {
        out += "\(s + 1),\(r.loss[s]),\(s < r.lr.count ? "\(r.lr[s])" : ""),\(evals[s + 1].map { "\($0)" } ?? "")\n"
      }
      return out
    }
    let steps = runs.map(\.run.loss.count).max() ?? 0
    var out = (["step"] + runs.map { field($0.name) }).joined(separator: ",") + "\n"
    for s in 0..<steps {
      out += (["\(s + 1)"] + runs.map { s < $0.run.loss.count ? "\($0.run.loss[s])" : "" }).joined(separator: ",") + "\n"
    }
    return out
  }

  /// `{"runs": [{"name", "options", "data", "loss", "lr", "eval_steps", "eval_loss", ...}]}`.
  public func json() throws -> String {
    // Floats as their shortest decimal form (0.03, not 0.029999999329447746);
    // a diverged run's nan or inf as null (JSON has no such numbers).
    func num(_ f: Float) -> Any { f.isFinite ? Double("\(f)") ?? Double(f) : NSNull() }
    func num(_ d: Double) -> Any { d.isFinite ? d : NSNull() }
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let list: [[String: Any]] = try runs.map { name, r in
      let options = try JSONSerialization.jsonObject(with: encoder.encode(r.options))
      let d = r.data
      return [
        "name": name, "options": options, "steps": r.steps, "planned_steps": r.plannedSteps, "tokens": r.tokens,
        "trainable": r.trainableParameters, "cancelled": r.cancelled, "wall_s": r.wallTime,
        "tokens_per_s": num(r.tokensPerSecond), "loss": r.loss.map(num), "lr": r.lr.map(num), "eval_steps": r.evalSteps,
        "eval_loss": r.evalLoss.map(num),
        "data": ["examples": d.examples, "truncated": d.truncated, "skipped": d.skipped, "spanning": d.spanning,
                 "rows": d.rows, "scored_tokens": d.scoredTokens, "fill": num(d.fill), "eval_examples": d.evalExamples,
                 "eval_truncated": d.evalTruncated, "eval_skipped": d.evalSkipped] as [String: Any],
      ]
    }
    let data = try JSONSerialization.data(withJSONObject: ["runs": list], options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
