import Foundation
import Testing

@testable import RetortJudge

struct ReportTests {
  func set(_ scores: [(String, Double?)], judge: String = "j") -> ScoreSet {
    ScoreSet(judge: judge, items: scores.enumerated().map { i, s in
      ScoredItem(item: JudgeItem(id: "\(i)", instruction: "q", reference: nil, answer: "a", category: s.0),
                 score: s.1, repeatScores: [s.1], replies: [nil],
                 failures: s.1 == nil ? [RepeatFailure(repeatIndex: 0, message: "x")] : [])
    })
  }

  @Test func statisticsMatchScipy() {
    // mean 0.5, sample sd sqrt(0.2 / 5) = 0.2, t(0.975, 5) = 2.570582 (scipy)
    let s = SummaryStatistics([0.2, 0.4, 0.5, 0.5, 0.6, 0.8])
    expectClose(s.mean ?? 0, 0.5, "mean")
    expectClose(s.standardDeviation ?? 0, 0.2, tolerance: 1e-15, "sd")
    expectClose(s.ciLow ?? 0, 0.5 - 2.570582 * 0.2 / 6.0.squareRoot(), tolerance: 1e-12, "ci")
    expectClose(SummaryStatistics.t975(degreesOfFreedom: 40), 2.021075, tolerance: 1e-5, "t40")
    expectClose(SummaryStatistics.t975(degreesOfFreedom: 120), 1.979930, tolerance: 1e-5, "t120")
    expectClose(SummaryStatistics.t975(degreesOfFreedom: 1000), 1.962339, tolerance: 1e-5, "t1000")
    #expect(SummaryStatistics([0.3]).standardDeviation == nil && SummaryStatistics([]).mean == nil)
    let clipped = SummaryStatistics([1, 1, 0.9], bounds: 0...1)
    #expect(clipped.ciHigh == 1 && (clipped.ciLow ?? 0) < 0.97)
    #expect((SummaryStatistics([1, 1, 0.9]).ciHigh ?? 0) > 1)
  }

  @Test func perCategoryMicroMacroAndWithoutOthers() {
    let r = set([("open qa", 1), ("Open\u{00A0}QA", 0.5), ("math", 0), ("math", nil), ("code", 0.2), ("生成", 0.9)]).report(title: "7B")
    #expect(r.rows.map(\.category) == ["math", "open qa", "code", "生成"])
    #expect(r.row("open qa")?.count == 2 && r.row("math")?.failures == 1)
    expectClose(r.micro.stats.mean ?? 0, (1 + 0.5 + 0 + 0.2 + 0.9) / 5, "micro")
    expectClose(r.macro ?? 0, (0.75 + 0 + 0.2 + 0.9) / 4, "macro")
    expectClose(r.macroWithoutOthers ?? 0, (0.75 + 0.9) / 2, "without others")
    #expect(r.micro.failures == 1 && r.micro.count == 6)
  }

  @Test func renderAlignsCJKAndDrawsBars() {
    let r = set([("open qa", 1), ("头脑风暴", 0.5), ("头脑风暴", 0.5)]).report(title: "model")
    let text = r.render(barWidth: 8)
    let lines = text.split(separator: "\n").map(String.init)
    let rowLines = lines.filter { $0.hasPrefix("open qa") || $0.hasPrefix("头脑风暴") }
    #expect(rowLines.count == 2)
    // The count column ends at the same display column in both rows.
    let widths = rowLines.map { line -> Int in
      let prefix = line.prefix { $0 != "█" && $0 != "▌" }
      return DisplayWidth.of(String(prefix))
    }
    #expect(widths[0] == widths[1], "\(text)")
    #expect(rowLines.contains { $0.hasSuffix("████████") } && rowLines.contains { $0.hasSuffix("████") })
    #expect(text.contains("without others"))
    #expect(DisplayWidth.of("头脑a") == 5 && DisplayWidth.bar(0.5, columns: 3) == "█▌")
  }

  @Test func compareSideBySideWithDeltasAndSave() throws {
    let a = set([("open qa", 0.5), ("math", 0.2)]).report(title: "0.2M")
    let b = set([("open qa", 0.7), ("math", 0.1), ("code", 1)]).report(title: "2M")
    let c = a.compare([b])
    #expect(c.titles == ["0.2M", "2M"])
    #expect(c.rowNames == ["math", "open qa", "code", "overall (micro)", "macro", "without others"])
    expectClose(c.delta(row: 1, column: 1) ?? 0, 0.2, "open qa delta")
    expectClose(c.delta(row: 0, column: 1) ?? 0, -0.1, "math delta")
    #expect(c.delta(row: 2, column: 1) == nil)
    let text = c.render()
    #expect(text.contains("(+0.200)") && text.contains("(-0.100)"))
    // b has a category a lacks: the overall rows average different questions, and the table says so.
    #expect(text.hasSuffix("note: the reports scored different items (code 0 vs 1), so their rows compare different questions\n"), "\(text)")
    #expect(a.compare([set([("open qa", 0.9), ("math", 0.3)]).report(title: "same")]).note == nil)
    // The same items, but one report scored none of math (ROUGE with no reference): as different.
    #expect(a.compare([set([("open qa", 0.9), ("math", nil)]).report(title: "rouge")]).note
      == "the reports scored different items (math 1 vs 0), so their rows compare different questions")
    // An interrupted run is named in the note.
    var stopped = set([("open qa", 0.9), ("math", 0.3)])
    stopped.cancelled = true
    #expect(a.compare([stopped.report(title: "partial")]).note == "partial was an interrupted run; rerun with the same ledger to finish")
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try a.save(to: dir.appendingPathComponent("r").path)
    let csv = try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("category,count,failures,mean,sd,ci_low,ci_high\n"))
    #expect(csv.contains("open qa,1,0,0.500000,,,"))
    let json = try JSONDecoder().decode(JudgeReport.self, from: Data(contentsOf: dir.appendingPathComponent("r.json")))
    #expect(json == a)
    try c.save(to: dir.appendingPathComponent("cmp.csv").path)
    let ccsv = try String(contentsOf: dir.appendingPathComponent("cmp.csv"), encoding: .utf8)
    #expect(ccsv.hasPrefix("category,0.2M,2M,2M delta\n") && ccsv.contains("open qa,0.500000,0.700000,0.200000"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("cmp.csv.json").path))
    let s = set([("math", 1)])
    try s.save(to: dir.appendingPathComponent("items").path)
    #expect(try ScoreSet.load(from: dir.appendingPathComponent("items.json").path) == s)
    #expect(throws: JudgeError.self) { _ = try ScoreSet.load(from: dir.appendingPathComponent("r.csv").path) }
    // A saved report is named as one, with what to load instead.
    do { _ = try ScoreSet.load(from: dir.appendingPathComponent("r.json").path); Issue.record("a report loaded as scores") }
    catch { #expect("\(error)".contains("is a saved report, not a score set"), "\(error)") }
    // Item rows keep every digit: the score recomputes from the repeat scores.
    var two = set([("math", 0.261725)])
    two.items[0].repeatScores = [0.12345, 0.4]
    try two.save(to: dir.appendingPathComponent("two.csv").path)
    let rows = try String(contentsOf: dir.appendingPathComponent("two.csv"), encoding: .utf8)
    #expect(rows.contains(",math,0.261725,0.12345;0.4,"), "\(rows)")
  }
}
