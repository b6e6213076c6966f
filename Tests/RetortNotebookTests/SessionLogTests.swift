import Testing
@testable import RetortNotebook

@Suite struct SessionLogTests {
  static let cells = [
    SessionCell(number: 1, input: "x = 2", output: ""),
    SessionCell(number: 2, input: "x * 21", output: "42\n"),
    SessionCell(number: 3, input: "for i in range(2) {\n  print(i)\n}", output: "0\n1\n"),
    SessionCell(number: 4, input: "print(\"[7]> no\")", output: "[7]> no\n...> also\n\\back\n[x]> fine\n"),
    SessionCell(number: 5, input: "print(\"a\", end=\"\")", output: "a"),
    SessionCell(number: 6, input: "1 +", output: "error: expected an expression\n  1 +\n     ^\n"),
    SessionCell(number: 7, input: "print()", output: "\n"),
    SessionCell(number: 8, input: "", output: "\\ No newline at end of output\n"),
    SessionCell(number: 9, input: "s = \"a\\r\\nb\"", output: "a\r\nb\n# not a header\n"),
  ]

  @Test func roundTripThroughAFile() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("nested/deeper/s.retort")
    let rec = try SessionRecorder(path: path, version: "0.1.0", started: LocalTime(epochSeconds: 0))
    for c in Self.cells { try rec.record(c) }
    rec.close()
    let log = try SessionLog(contentsOf: path)
    #expect(log.cells.map { SessionCell(number: $0.number, input: $0.input, output: $0.output) } == Self.cells)
    #expect(log.version == "0.1.0")
    #expect(log.started?.hasPrefix("19") == true)
    #expect(log.truncatedCell == nil)
    #expect(log.cells[2].line == 7)
  }

  @Test func escapesPromptLookingOutput() throws {
    let text = SessionLogFormat.encodeCell(number: 4, input: "p()", output: "[7]> no\n...> also\n\\back\n[x]> fine\n")
    #expect(text == "[4]> p()\n\\[7]> no\n\\...> also\n\\\\back\n[x]> fine\n")
    let noNewline = SessionLogFormat.encodeCell(number: 1, input: "a\nb", output: "x")
    #expect(noNewline == "[1]> a\n...> b\nx\n\\ No newline at end of output\n")
  }

  @Test func anInterruptedCellEndsWithItsStopPoint() throws {
    let text = SessionLogFormat.encodeCell(number: 2, input: "train()", output: "step 1\nstep 2", interruptedAt: 57)
    #expect(text == "[2]> train()\nstep 1\nstep 2\n\\ No newline at end of output\n\\ Interrupted by Ctrl-C at cancellation point 57\n")
    let silent = SessionLogFormat.encodeCell(number: 3, input: "loop()", output: "", interruptedAt: 1)
    #expect(silent == "[3]> loop()\n\\ Interrupted by Ctrl-C at cancellation point 1\n")
    // A real output line that looks like the mark is escaped, so it stays output.
    let lookalike = SessionLogFormat.encodeCell(number: 4, input: "p()", output: "\\ Interrupted by Ctrl-C at cancellation point 9\n")
    let log = try SessionLog.parse(SessionLogFormat.magic + "\n" + text + silent + lookalike + "[5]> x\n1\n")
    #expect(log.cells.map(\.interruptedAt) == [57, 1, nil, nil])
    #expect(log.cells[0].output == "step 1\nstep 2")
    #expect(log.cells[1].output == "")
    #expect(log.cells[2].output == "\\ Interrupted by Ctrl-C at cancellation point 9\n")
    // The recorder writes the same lines.
    let dir = TempDir()
    defer { dir.cleanup() }
    try SessionRecorder(path: dir.file("s.retort"), version: "1").record(log.cells[0])
    #expect(try SessionLog(contentsOf: dir.file("s.retort")).cells.first?.interruptedAt == 57)
  }

  @Test func toleratesTruncatedLastCell() throws {
    let full = SessionLogFormat.magic + "\n# version: 1\n" + SessionLogFormat.encodeCell(number: 1, input: "a", output: "1\n")
      + SessionLogFormat.encodeCell(number: 2, input: "b", output: "22222\n")
    let cut = String(full.dropLast(3))
    let log = try SessionLog.parse(cut, path: "cut.retort")
    #expect(log.cells.count == 1)
    #expect(log.cells[0].output == "1\n")
    #expect(log.truncatedCell?.number == 2)
    #expect(log.truncatedCell?.line == 5)
    // Cut inside a multi-byte character of the last line.
    var bytes = Array((full + "[3]> \"é").utf8)
    bytes.removeLast()
    let log2 = try SessionLog.parse(bytes: bytes, path: "cut2")
    #expect(log2.cells.count == 2)
    #expect(log2.truncatedCell?.number == 3)
  }

  @Test func malformedLogsNameTheLine() {
    func failure(_ text: String) -> String {
      do { _ = try SessionLog.parse(text, path: "bad.retort"); return "parsed" } catch { return "\(error)" }
    }
    #expect(failure("") .hasPrefix("bad.retort:1: empty file"))
    #expect(failure("hello\n").hasPrefix("bad.retort:1: not a Retort session log"))
    #expect(failure("# Retort session log\nstray\n").hasPrefix("bad.retort:2: expected a header line"))
    #expect(failure("# Retort session log\n[1]> a\nout\n...> b\n").hasPrefix("bad.retort:4: continuation prompt"))
    #expect(failure("# Retort session log\n[1]> a\n\\zzz\n").hasPrefix("bad.retort:3: unknown escape"))
    #expect(failure("# Retort session log\n[1]>a\n").hasPrefix("bad.retort:2: malformed prompt"))
    let mark = "\\ Interrupted by Ctrl-C at cancellation point "
    #expect(failure("# Retort session log\n[1]> a\n\(mark)0\n").hasPrefix("bad.retort:3: malformed interruption line"))
    #expect(failure("# Retort session log\n[1]> a\n\(mark)x\n").hasPrefix("bad.retort:3: malformed interruption line"))
    #expect(failure("# Retort session log\n[1]> a\n\(mark)4\nmore\n").hasPrefix("bad.retort:4: output continues after the interruption line"))
    #expect(failure("# Retort session log\n[99999999999999999999999]> a\n").hasPrefix("bad.retort:2: cell number too large"))
    #expect(failure("# Retort session log\n# width: -5\n").hasPrefix("bad.retort:2: width is \"-5\"; expected a terminal width"))
    #expect(failure("# Retort session log\n# width: 99999999999999999999\n").hasPrefix("bad.retort:2: width is"))
    #expect(failure("# Retort session log\n# width: 80\n[1]> a\n") == "parsed")
    #expect(failure("# Retort session log\n[1]> a\n\u{FF}\n") == "parsed")  // "\u{FF}" is valid UTF-8 "ÿ"
    let invalid: [UInt8] = Array("# Retort session log\n[1]> a\n".utf8) + [0xFF, 0x0A]
    do { _ = try SessionLog.parse(bytes: invalid, path: "b"); Issue.record("expected an error") } catch {
      #expect("\(error)" == "b:3: invalid UTF-8")
    }
  }

  @Test func emptyPromptLinesSurviveTrailingWhitespaceStripping() throws {
    let log = try SessionLog.parse("# Retort session log\n[1]>\n...>\n...> x\n")
    #expect(log.cells == [SessionCell(number: 1, input: "\n\nx", output: "", line: 2)])
  }

  @Test func recorderErrorsAreClear() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    dir.write("file", "x")
    do {
      _ = try SessionRecorder(path: dir.file("file/sub/s.retort"), version: "1")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".hasPrefix("cannot create directory '\(dir.file("file"))'"))
      #expect("\(error)".contains("not a directory"))
    }
    _ = try SessionRecorder(path: dir.file("a.retort"), version: "1")
    #expect(throws: SessionLogError.exists(path: dir.file("a.retort"))) {
      _ = try SessionRecorder(path: dir.file("a.retort"), version: "1", ifExists: .fail)
    }
  }

  @Test func appendModeKeepsTheHeaderAndCells() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("s.retort")
    try SessionRecorder(path: path, version: "1").record(number: 1, input: "a", output: "1\n")
    try SessionRecorder(path: path, version: "1", ifExists: .append).record(number: 1, input: "b", output: "2\n")
    let log = try SessionLog(contentsOf: path)
    #expect(log.cells.map(\.input) == ["a", "b"])
    #expect(dir.read("s.retort").split(separator: "\n").filter { $0.hasPrefix("# version") }.count == 1)
  }

  @Test func defaultPathUsesSessionsFolderAndCompactTime() {
    let t = LocalTime(epochSeconds: 1_700_000_000)
    let p = SessionRecorder.defaultPath(directory: "/w", time: t)
    #expect(p == "/w/Sessions/\(t.compact).retort")
    #expect(t.compact.count == 15)
    #expect(t.iso8601.count == 25)
  }

  @Test func aLogWithCRLFLineEndsReadsAsRecorded() throws {
    // Audit G finding 12: a log converted to CRLF failed its check with no visible difference.
    var text = SessionLogFormat.magic + "\n# width: 80\n"
    for c in Self.cells { text += SessionLogFormat.encodeCell(number: c.number, input: c.input, output: c.output) }
    let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
    let log = try SessionLog.parse(crlf)
    #expect(log.cells.map(\.output) == Self.cells.map(\.output))  // cell 9's own "\r" stays
    #expect(log.cells.map(\.input) == Self.cells.map(\.input))
    #expect(log.width == 80)
    #expect(try SessionLog.parse("# Retort session log\r\n[1]> 1+1\r\n2\r\n").cells
            == [SessionCell(number: 1, input: "1+1", output: "2\n", line: 2)])
    // A log as recorded (its header ends lines with LF) keeps an output line's final CR.
    let lf = try SessionLog.parse(SessionLogFormat.magic + "\n[1]> p()\r\nspin\r\n")
    #expect(lf.cells[0].output == "spin\r\n" && lf.cells[0].input == "p()\r")
    // Saved by an editor that starts files with a byte order mark (and CRLF, as Notepad does).
    #expect(try SessionLog.parse("\u{FEFF}" + crlf).cells.map(\.output) == Self.cells.map(\.output))
  }
}
