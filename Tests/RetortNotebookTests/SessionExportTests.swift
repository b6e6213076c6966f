import Foundation
import Testing
@testable import RetortNotebook

@Suite struct SessionExportTests {
  static let log = SessionLog(path: "Sessions/a.retort", header: [("version", "0.1.0"), ("started", "2026-11-21T12:00:00+00:00")],
                              cells: [
                                SessionCell(number: 1, input: "x = 2", output: ""),
                                SessionCell(number: 2, input: "for i in range(2) {\n  print(i)\n}", output: "0\n1\n"),
                                SessionCell(number: 3, input: "print(\"```\\t\")", output: "```\t\u{1}\"\\é"),
                              ])

  @Test func markdownFencesEachCell() {
    let md = SessionExport.export(Self.log, to: .markdown)
    #expect(md.hasPrefix("# Retort session\n\nRecorded with Retort 0.1.0, started 2026-11-21T12:00:00+00:00.\n\n"))
    #expect(md.contains("```retort\nx = 2\n```\n\n```retort\nfor i"))
    #expect(md.contains("}\n```\n\n```\n0\n1\n```\n\n"))
    #expect(md.contains("````\n```\t\u{1}\"\\é\n````\n"))
  }

  @Test func notebookIsValidNbformat4JSON() throws {
    let text = SessionExport.export(Self.log, to: .ipynb)
    let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    let nb = try #require(json)
    #expect(nb["nbformat"] as? Int == 4)
    #expect(nb["nbformat_minor"] as? Int == 5)
    let meta = try #require(nb["metadata"] as? [String: Any])
    let kernel = try #require(meta["kernelspec"] as? [String: Any])
    #expect(kernel["name"] as? String == "retort")
    #expect(kernel["display_name"] as? String == "Retort")
    #expect((meta["language_info"] as? [String: Any])?["name"] as? String == "retort")
    let cells = try #require(nb["cells"] as? [[String: Any]])
    #expect(cells.count == 3)
    #expect(Set(cells.compactMap { $0["id"] as? String }).count == 3)
    for (cell, expected) in zip(cells, Self.log.cells) {
      #expect(cell["cell_type"] as? String == "code")
      #expect(cell["execution_count"] as? Int == expected.number)
      #expect((cell["source"] as? [String])?.joined() == expected.input)
      #expect(cell["metadata"] as? [String: Any] != nil)
      let outputs = try #require(cell["outputs"] as? [[String: Any]])
      if expected.output.isEmpty {
        #expect(outputs.isEmpty)
      } else {
        #expect(outputs.count == 1)
        #expect(outputs[0]["output_type"] as? String == "stream")
        #expect(outputs[0]["name"] as? String == "stdout")
        #expect((outputs[0]["text"] as? [String])?.joined() == expected.output)
      }
    }
    #expect((cells[1]["source"] as? [String]) == ["for i in range(2) {\n", "  print(i)\n", "}"])
  }

  @Test func defaultOutputPathReplacesTheExtension() {
    #expect(SessionExport.defaultOutputPath(for: "Sessions/a.retort", format: .markdown) == "Sessions/a.md")
    #expect(SessionExport.defaultOutputPath(for: "a.b/log", format: .ipynb) == "a.b/log.ipynb")
    #expect(SessionExport.defaultOutputPath(for: ".hidden", format: .ipynb) == ".hidden.ipynb")
    #expect(SessionExport.Format(name: "MD") == .markdown)
    #expect(SessionExport.Format(name: "pdf") == nil)
  }

  @Test func exportsAFile() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("s.retort")
    let rec = try SessionRecorder(path: path, version: "1")
    try rec.record(number: 1, input: "1+1", output: "2\n")
    let written = try SessionExport.export(path: path, to: .ipynb)
    #expect(written == dir.file("s.ipynb"))
    #expect(dir.read("s.ipynb").contains("\"execution_count\": 1"))
  }

  @Test func exportsSayWhichCellsCtrlCStopped() throws {
    let log = SessionLog(path: "s", cells: [SessionCell(number: 1, input: "train()", output: "step 1\n", interruptedAt: 12)])
    #expect(SessionExport.markdown(log).contains("```\nstep 1\n```\n\n*Stopped by Ctrl-C.*\n"))
    let nb = SessionExport.notebook(log)
    #expect(nb.contains("\"ename\": \"KeyboardInterrupt\""))
    #expect(nb.contains("\"interrupted_at\": 12"))
  }

  @Test func notebookCellErrorsAreErrorOutputs() {
    let out = "before\nerror: name 'y' is not defined\n --> [3]:1:1\n  |\n1 | y\n  | ^\n"
    let (printed, error) = SessionExport.splitError(SessionCell(number: 3, input: "print(\"before\"); y", output: out))
    #expect(printed == "before\n")
    #expect(error == ["error: name 'y' is not defined", " --> [3]:1:1", "  |", "1 | y", "  | ^"])
    let nb = SessionExport.notebook(SessionLog(path: "s", cells: [SessionCell(number: 3, input: "y", output: out)]))
    #expect(nb.contains("\"ename\": \"RetortError\"") && nb.contains("\"evalue\": \"name 'y' is not defined\""))
    // A printed line that merely starts with "error: " stays output.
    #expect(SessionExport.splitError(SessionCell(number: 1, input: "p()", output: "error: none\nok\n")).1 == nil)
  }

  @Test func anErrorRaisedInAFunctionAnEarlierCellDefinedIsAnErrorOutput() {
    // Audit G finding 7: the location names the cell that defined the function, not this one.
    let error = ["error: name 'error_here' is not defined", " --> [2]:1:25", "  |",
                 "1 | fn g() { print(\"in g\"); error_here }", "  |                         ^^^^^^^^^^",
                 "call trace (most recent call last):", "  [3]:1:1 in <cell>", "  [2]:1:25 in g"]
    let out = "in g\n" + error.joined(separator: "\n") + "\n"
    let (printed, found) = SessionExport.splitError(SessionCell(number: 3, input: "g()", output: out))
    #expect(printed == "in g\n")
    #expect(found == error)
    let nb = SessionExport.notebook(SessionLog(path: "s", cells: [SessionCell(number: 3, input: "g()", output: out)]))
    #expect(nb.contains("\"output_type\": \"error\"") && !nb.contains("call trace (most recent call last):\\n"))
    // Printed text without a final newline runs into the error's first line.
    let glued = SessionExport.splitError(SessionCell(number: 3, input: "g()", output: "in g" + out.dropFirst(5)))
    #expect(glued.0 == "in g" && glued.1 == error)
  }

  @Test func printedTextThatLooksLikeAnErrorStaysOutput() {
    // A location naming a later cell cannot be this cell's error.
    let fake = "error: fake2\n --> [9]:1:1\n  |\n1 | x\n  | ^\n"
    #expect(SessionExport.splitError(SessionCell(number: 5, input: "p()", output: fake)).1 == nil)
    // Nor can one followed by more printed text.
    let more = "error: y\n --> [1]:1:1\n  |\n1 | y\n  | ^\nthen more\n"
    #expect(SessionExport.splitError(SessionCell(number: 1, input: "p()", output: more)).1 == nil)
    // Nor a location line alone, without the source line and caret under it.
    #expect(SessionExport.splitError(SessionCell(number: 5, input: "p()", output: "error: z\n --> [2]:1:1\n")).1 == nil)
  }
}

@Suite struct SessionExportTargetTests {
  @Test func exportNeverReplacesItsInputOrAnotherLog() throws {
    // Audit G finding 3: `export s.retort --to md -o s.retort` replaced the log with Markdown.
    let dir = TempDir()
    defer { dir.cleanup() }
    let path = dir.file("s.retort"), other = dir.file("other.retort")
    let rec = try SessionRecorder(path: path, version: "1")
    try rec.record(number: 1, input: "1+1", output: "2\n")
    rec.close()
    let original = dir.read("s.retort")
    // The input under its own name, another spelling of it, and a link to it.
    #expect(symlink(path, dir.file("link.md")) == 0)
    for target in [path, dir.path + "/./s.retort", dir.file("link.md")] {
      #expect(throws: SessionLogError.replacesLog(path: target, isInput: true)) {
        try SessionExport.export(path: path, to: .markdown, output: target)
      }
    }
    dir.write("other.retort", original)
    #expect(throws: SessionLogError.replacesLog(path: other, isInput: false)) {
      try SessionExport.export(path: path, to: .ipynb, output: other)
    }
    #expect(dir.read("s.retort") == original && dir.read("other.retort") == original)
    // Any other file is still written.
    dir.write("old.md", "old\n")
    #expect(try SessionExport.export(path: path, to: .markdown, output: dir.file("old.md")) == dir.file("old.md"))
    #expect(dir.read("old.md").hasPrefix("# Retort session\n"))
  }
}
