import Testing
@testable import RetortNotebook

@Suite struct ReplayTests {
  static let log = SessionLog(path: "s.retort", header: [("version", "1")], cells: [
    SessionCell(number: 1, input: "x = 2", output: "", line: 4),
    SessionCell(number: 2, input: "x * 21", output: "42\n", line: 5),
    SessionCell(number: 3, input: "timeit()", output: "took 12.5 ms at 2026-11-21T12:00:01Z\nok\n", line: 7),
    SessionCell(number: 4, input: "lines()", output: "a\nb\nc\nd\ne\nf\ng\nh\n", line: 10),
  ])

  /// A fake interpreter: maps inputs to outputs.
  static func runner(_ answers: [String: String]) -> (SessionCell) throws -> String {
    { cell in answers[cell.input] ?? "" }
  }

  static let good = ["x * 21": "42\n", "timeit()": "took 980 ms at 2027-01-02T03:04:05Z\nok\n",
                     "lines()": "a\nb\nc\nd\ne\nf\ng\nh\n"]

  @Test func checkPassesWhenOnlyVolatilePartsChange() {
    var out = ""
    let s = Replay.run(Self.log, runner: Self.runner(Self.good), check: true) { out += $0 }
    #expect(s == ReplaySummary(cells: 4, differing: [], skippedTruncatedCell: false))
    #expect(s.passed)
    #expect(out == "check s.retort: 4 cells, all match\n")
  }

  @Test func checkFailsWithUnifiedDiff() {
    var answers = Self.good
    answers["x * 21"] = "43\n"
    answers["lines()"] = "a\nb\nc\nd\nE\nf\ng\nh\ni\n"
    var out = ""
    let s = Replay.run(Self.log, runner: Self.runner(answers), check: true) { out += $0 }
    #expect(s.differing == [2, 4])
    #expect(!s.passed)
    #expect(out == """
      --- s.retort:5 [2] recorded
      +++ [2] replayed
      @@ -1 +1 @@
      -42
      +43
      --- s.retort:10 [4] recorded
      +++ [4] replayed
      @@ -2,7 +2,8 @@
       b
       c
       d
      -e
      +E
       f
       g
       h
      +i
      check s.retort: 4 cells, 2 differ: [2], [4]

      """)
  }

  @Test func thrownErrorsAndMissingNewlinesAreOutput() {
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
    let log = SessionLog(path: "t", cells: [SessionCell(number: 1, input: "a", output: "error: boom\n", line: 2),
                                            SessionCell(number: 2, input: "b", output: "x\n", line: 3)],
                         truncatedCell: SessionCell(number: 3, input: "c", output: "", line: 4))
    var out = ""
    let s = Replay.run(log, runner: { cell in
      if cell.input == "a" { throw Boom() }
      return "x"
    }, check: true) { out += $0 }
    #expect(s.differing == [2])
    #expect(s.skippedTruncatedCell)
    #expect(out.contains(" x\n+\\ No newline at end of output\n"))
    #expect(out.contains("note: t:4: the last cell [3] was cut short and was not replayed\n"))
    #expect(s.description == "2 cells, 1 differs: [2]; the last cell was cut short and is not checked")
  }

  @Test func transcriptModeShowsInputsAndNewOutputs() {
    var out = ""
    let s = Replay.run(Self.log, runner: Self.runner(Self.good), check: false) { out += $0 }
    #expect(s.cells == 4)
    #expect(out.hasPrefix("[1]> x = 2\n[2]> x * 21\n42\n[3]> timeit()\ntook 980 ms"))
  }

  @Test func replayOfARecordedFile() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("s.retort")
    let rec = try SessionRecorder(path: path, version: "1")
    for c in Self.log.cells { try rec.record(c) }
    var out = ""
    let s = try Replay.run(path: path, runner: Self.runner(Self.good), check: true) { out += $0 }
    #expect(s.passed && s.cells == 4)
  }

  @Test func anInterruptedCellIsReplayedWithItsStopPointAndKeepsItsMark() throws {
    let log = SessionLog(path: "i", cells: [
      SessionCell(number: 1, input: "loop()", output: "0\n1\n", line: 2, interruptedAt: 3),
      SessionCell(number: 2, input: "done()", output: "ok\n", line: 6),
    ])
    var stops: [Int?] = []
    // A fake cell that prints one line per poll until its CancellationPoints says stop.
    let runner: (SessionCell) throws -> String = { cell in
      stops.append(cell.interruptedAt)
      guard cell.input == "loop()" else { return "ok\n" }
      let points = CancellationPoints(replayingStopAt: cell.interruptedAt, flag: { false })
      var out = "", i = 0
      while !points.poll() { out += "\(i)\n"; i += 1 }
      return out
    }
    var out = ""
    #expect(Replay.run(log, runner: runner, check: true) { out += $0 }.passed)
    #expect(stops == [3, nil])
    out = ""
    _ = Replay.run(log, runner: runner, check: false) { out += $0 }
    #expect(out == "[1]> loop()\n0\n1\n\\ Interrupted by Ctrl-C at cancellation point 3\n[2]> done()\nok\n")
    #expect(try SessionLog.parse(SessionLogFormat.magic + "\n" + out).cells.map(\.interruptedAt) == [3, nil])
  }
}
