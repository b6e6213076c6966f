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
  static func runner(_ answers: [String: String]) -> (String) throws -> String {
    { input in answers[input] ?? "" }
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
    let s = Replay.run(log, runner: { input in
      if input == "a" { throw Boom() }
      return "x"
    }, check: true) { out += $0 }
    #expect(s.differing == [2])
    #expect(s.skippedTruncatedCell)
    #expect(out.contains(" x\n+\\ No newline at end of output\n"))
    #expect(out.contains("note: t:4: the last cell [3] was cut short and was not replayed\n"))
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
}
