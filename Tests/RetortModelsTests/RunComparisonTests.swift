// Runs side by side: the overlaid chart, the table, and the CSV and JSON
// files, on hand-made runs (no training needed).

import Foundation
import Testing
@testable import RetortModels

private func run(_ loss: [Float], eval: [Float] = []) -> TrainRun {
  var o = TrainOptions()
  o.lr = 0.03; o.gradAccum = 2
  var r = TrainRun(options: o)
  r.loss = loss
  r.lr = loss.map { _ in 0.03 }
  r.evalLoss = eval
  r.evalSteps = eval.indices.map { ($0 + 1) * 2 }
  r.tokens = loss.count * 64
  r.trainableParameters = 1234
  r.plannedSteps = loss.count
  return r
}

@Test func comparisonOverlaysCurvesOnOneScale() {
  let c = RunComparison([("long", run([4, 3, 2, 1])), ("short", run([4, 3.5]))])
  let lines = c.chart(width: 7, height: 4).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  // Four steps over 7 columns, about two each; "short" (o) ends after two steps. Where it meets "long" (*),
  // the point is "=": drawn over, one run vanished from the chart while the legend named it.
  #expect(lines[0] == "   4.000 |==     ", "\(lines)")
  #expect(lines[1] == "         |  ==   " && lines[2] == "         |    ** " && lines[3] == "   1.000 |      *", "\(lines)")
  #expect(lines[4] == "         +-------" && lines[5] == "          step 1 4")
  #expect(lines.last == "          * long   o short   = several")
  let apart = RunComparison([("down", run([4, 3, 2, 1])), ("up", run([1, 2, 3, 4]))]).chart(width: 4, height: 4)
  #expect(apart.hasPrefix("   4.000 |*  o\n         | *o \n") && apart.hasSuffix("* down   o up"), "\(apart)")
  // One run: no legend, and the same chart as the run's own.
  #expect(RunComparison([("", run([4, 3, 2, 1]))]).chart(width: 60, height: 4) == run([4, 3, 2, 1]).chart(width: 60, height: 4))
  // Fewer steps than columns still fill the width asked for (12 steps drew 12 columns).
  #expect(run([4, 3]).chart(width: 30, height: 3).split(separator: "\n").first?.count == 10 + 30)
  #expect(run(Array(repeating: 1, count: 100)).chart(width: 30, height: 3).split(separator: "\n").first?.count == 10 + 30)
}

@Test func comparisonTableAndFiles() throws {
  let c = RunComparison([("lora, r=8", run([2.5, 1.25], eval: [1.5])), ("full", run([2.5, 1, 0.75]))])
  let table = c.table().split(separator: "\n").map(String.init)
  #expect(table.count == 3 && table[0].hasPrefix("run ") && table[0].hasSuffix("eval loss"))
  #expect(table[1].hasPrefix("lora, r=8") && table[1].hasSuffix("2.500      1.250     1.250      1.500"), "\(table)")
  #expect(table[2].hasPrefix("full ") && table[2].hasSuffix("0.750     0.750          -"), "\(table)")
  #expect(c.csv() == "step,\"lora, r=8\",full\n1,2.5,2.5\n2,1.25,1.0\n3,,0.75\n")
  // One run's file has its learning rate and eval loss too (it was "step,run").
  #expect(RunComparison([("run", run([2.5, 1.25, 1], eval: [1.5]))]).csv()
          == "step,loss,lr,eval_loss\n1,2.5,0.03,\n2,1.25,0.03,1.5\n3,1.0,0.03,\n")
  let dir = NSTemporaryDirectory() + "retort-runs-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try c.save(to: dir + "/runs.json")
  try c.save(to: dir + "/runs.csv")
  #expect(try String(contentsOfFile: dir + "/runs.csv", encoding: .utf8) == c.csv())
  let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/runs.json"))) as? [String: Any]
  let runs = json?["runs"] as? [[String: Any]] ?? []
  #expect(runs.count == 2 && runs[0]["name"] as? String == "lora, r=8")
  #expect(runs[0]["loss"] as? [Double] == [2.5, 1.25] && runs[0]["eval_loss"] as? [Double] == [1.5])
  let options = runs[0]["options"] as? [String: Any] ?? [:]
  #expect(options["lr"] as? Double == 0.03 && options["grad_accum"] as? Int == 2, "\(options)")
  #expect((runs[1]["data"] as? [String: Any])?["examples"] as? Int == 0 && runs[1]["trainable"] as? Int == 1234)
}

@Test func aRunsChartShowsItsEvalLossToo() {
  // The chart plotted the training loss only.
  let lines = run([4, 3, 2, 1], eval: [3.5, 1.5]).chart(width: 7, height: 4)
    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  // Eval at steps 2 and 4: 3.5 rounds to the row of 3 and 1.5 to the row of 1, drawn over the training loss.
  #expect(lines[0] == "   4.000 |**     " && lines[1] == "         | o**   " && lines[3] == "   1.000 |     o*", "\(lines)")
  #expect(lines.last == "          * train loss   o eval loss", "\(lines)")
  #expect(!run([4, 3, 2, 1]).chart(width: 60, height: 4).contains("eval loss"))
}

@Test func theChartsLabelsAreItsHighestAndLowestPoints() {
  // Two steps per column: the points are column means (6, 2, 1, 1), and the labels name those, not the
  // raw first step (10), which no point reached (the top row was empty).
  let lines = run([10, 2, 2, 2, 1, 1, 1, 1]).chart(width: 4, height: 6)
    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  #expect(lines[0] == "   6.000 |*   " && lines[4] == "         | *  " && lines[5] == "   1.000 |  **", "\(lines)")
  // A diverged step leaves its column empty instead of stopping the process.
  let diverged = run([4, .nan, .infinity, 1]).chart(width: 4, height: 3)
    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  #expect(diverged[0] == "   4.000 |*   " && diverged[2] == "   1.000 |   *", "\(diverged)")
}
