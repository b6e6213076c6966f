import Testing
import RetortLang

@Suite struct DisplayTests {
  @Test func textWidthCountsWideCharacters() {
    #expect(TextWidth.of("abc") == 3)
    #expect(TextWidth.of("中文") == 4)
    #expect(TextWidth.of("한국어") == 6)
    #expect(TextWidth.of("ｆｕｌｌ") == 8)
    #expect(TextWidth.of("e\u{301}") == 1)
    #expect(TextWidth.truncate("中文字符", to: 5) == "中文…")
    #expect(TextWidth.truncate("line\nbreak", to: 20) == "line⏎break")
  }

  @Test func tableAlignsMixedScripts() {
    let t = Table(headers: ["#", "category", "instruction"],
                  rows: [["0", "math", "计算 3+5"], ["12", "closed qa", "Name a color"]],
                  rightAligned: [0])
    let lines = t.render(width: 80).split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(Set(lines.map { TextWidth.of($0) }).count <= 3)
    // Columns start at the same terminal column in every row.
    let col = lines.map { l -> Int in
      let prefix = l.prefix(while: { $0 != "计" && $0 != "N" && $0 != "i" && $0 != "─" || l.hasPrefix(" #") })
      return TextWidth.of(String(prefix))
    }
    #expect(col[2] == col[3])
    #expect(lines[2].hasSuffix("计算 3+5"))
  }

  @Test func tableTruncatesToWidth() {
    let long = String(repeating: "长", count: 100)
    let out = Table(headers: ["a", "b"], rows: [["x", long]]).render(width: 40)
    for line in out.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= 40) }
    #expect(out.contains("…"))
  }

  @Test func labelsAreNotCutWhenTheWholeColumnsOverflowAnyway() {
    // Stats at 40 columns: the numbers (never cut) need 60; cutting "open qa" to "open …" gained nothing.
    let t = Table(headers: ["category", "count", "length"], rows: [["open qa", "285", String(repeating: "9", count: 50)]],
                  rightAligned: [1], whole: [1, 2])
    #expect(t.render(width: 40).contains("open qa  "), "\(t.render(width: 40))")
    // When cutting the label makes the table fit, it is cut.
    let fits = Table(headers: ["category", "count"], rows: [["a long category label", "285"]], whole: [1])
    #expect(fits.render(width: 20).contains("…"), "\(fits.render(width: 20))")
  }

  @Test func strWritesDeepNestingInFull() {
    // str() (print, write_text) wrote "..." past fifty levels; it goes to 500, as Python goes to ~1000.
    var v: Value = .int(1)
    for _ in 0..<100 { v = .list(ListBox([v])) }
    #expect(Display.str(v) == String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100))
    #expect(Display.repr(v).contains("..."), "the REPL's display still stops at 50")
  }

  @Test func aContainerInsideItselfShowsAsAnEllipsis() {
    // It was written out to the depth limit, fifty levels of [1, [1, ...
    let a = ListBox([.int(1)])
    a.items.append(.list(a))
    #expect(Display.repr(.list(a)) == "[1, [...]]")
    let m = MapBox()
    m[.string("x")] = .map(m)
    #expect(Display.repr(.map(m)) == "{\"x\": {...}}")
    // Too wide for a line: one item per line, and the cycle still one "[...]".
    let outer = ListBox([.list(ListBox((0..<30).map { .int($0) }))])
    outer.items.append(.list(outer))
    let shown = Display.render(.list(outer), RenderContext(width: 40))
    #expect(shown.hasSuffix("\n  ],\n  [...]\n]") && shown.components(separatedBy: "[...]").count == 2, "\(shown)")
    // Break the cycles (reference counting would keep them).
    a.items.removeAll()
    m[.string("x")] = .none
    outer.items.removeAll()
  }

  @Test func progressLine() {
    let s = ProgressBar.line(label: "answering", done: 25, total: 100, elapsed: 5, unit: "q", note: "")
    #expect(s == "answering  25/100 [█████░░░░░░░░░░░░░░░] 25%  5.0 q/s  ETA 15s")
    #expect(formatDuration(185) == "3m05s")
    #expect(formatDuration(3725) == "1h02m")
    // An ETA past Int's seconds (a run of 9e18 steps) no longer traps converting to Int.
    #expect(formatDuration(1e19) == ">10000y")
    #expect(formatDuration(.infinity) == "?")
  }

  @Test func progressLogWritesOccasionalLinesForLongWorkOnly() {
    #expect(ProgressLog.line(label: "training", done: 12, total: 40, elapsed: 8, unit: "it", note: "loss 1.234")
            == "training 12/40 (30%), 1.5 it/s, ETA 19s, loss 1.234")
    var lines: [String] = []
    let quick = ProgressLog(label: "answering", total: 3, interval: 3600) { lines.append($0) }
    for i in 1...3 { quick.update(done: i, note: "") }
    quick.finish()
    #expect(lines.isEmpty, "work shorter than the interval writes nothing: \(lines)")
    let slow = ProgressLog(label: "training", total: 2, interval: 0) { lines.append($0) }
    slow.update(done: 1, note: "loss 2.000")
    slow.update(done: 2, note: "loss 1.500")
    slow.finish()
    #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("training ") && $0.hasSuffix("\n") }, "\(lines)")
    #expect(lines[0].hasPrefix("training 1/2 (50%)") && lines[0].contains("loss 2.000"))
    #expect(lines[1].hasPrefix("training 2/2 (100%)") && lines[1].contains("loss 1.500, ended after "))
    // A resumed run (or cached answers): units done before the first update are not in the rate.
    #expect(ProgressLog.line(label: "training", done: 12, total: 40, elapsed: 4, unit: "it", note: "", since: 8)
            == "training 12/40 (30%), 1.0 it/s, ETA 28s")
    #expect(ProgressBar.line(label: "answering", done: 30, total: 100, elapsed: 5, unit: "q", note: "", since: 25)
            .contains("1.0 q/s  ETA 1m10s"))
    // Rates count from the first update: a first batch of 128 does not make the rate tiny.
    var drawn: [String] = []
    let bar = ProgressBar(label: "dedup", total: 1280) { drawn.append($0) }
    bar.update(done: 128, note: "")
    #expect(drawn.last?.hasSuffix("? it/s  ETA ?") == true, "\(drawn)")
    // Cut to the terminal's width (a wrapped line cannot be redrawn in place).
    let narrow = ProgressBar(label: "dedup", total: 1280, width: { 40 }) { drawn.append($0) }
    narrow.update(done: 128, note: "a long note that would wrap")
    #expect(drawn.last.map { $0.replacingOccurrences(of: "\r\u{1B}[2K", with: "").count } == 39, "\(drawn)")
  }

  @Test func reprRoundTrips() {
    #expect(Display.quote("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"")
    #expect(Display.formatFloat(1e16) == "1e+16")
    #expect(Display.formatFloat(2) == "2.0")
    #expect(Display.formatFloat(.nan) == "nan")
  }

  @Test func failingRendererFallsBack() {
    final class Broken: HostObject {
      static let type = TypeInfo("Broken", doc: "always fails to render")
      var typeInfo: TypeInfo { Self.type }
      func render(_ context: RenderContext) throws -> String { throw ScriptError("boom") }
    }
    #expect(Display.render(.object(Broken())) == "<Broken> (display failed: boom)")
  }
}
