import Testing
import Foundation
import RetortLang

@Suite struct CompletionTests {
  func interp() -> Interpreter {
    let i = Interpreter()
    i.output = { _ in }
    i.run("data_size = 3\nfn train(steps, lr=0.1) { steps }\nxs = [1]", name: "[1]")
    return i
  }

  @Test func names() {
    let c = interp().complete(line: "da", cursor: 2)
    #expect(c == Completion(start: 0, candidates: ["data_size"]))
    #expect(interp().complete(line: "x = le", cursor: 6).candidates == ["len"])
  }

  @Test func members() {
    let c = interp().complete(line: "xs.ap", cursor: 5)
    #expect(c == Completion(start: 3, candidates: ["append"]))
    // After a literal, or a name indexed by a literal; never after a call (completion runs nothing).
    let strs = interp().complete(line: "\"a\".st", cursor: 6).candidates
    #expect(strs.contains("startswith") && strs.contains("strip"), "\(strs)")
    #expect(interp().complete(line: "[1, 2].ap", cursor: 9).candidates == ["append"])
    #expect(interp().complete(line: "{\"k\": 1}.ge", cursor: 11).candidates == ["get"])
    // A string literal indexed is a string, not a list.
    #expect(interp().complete(line: "\"abc\"[0].up", cursor: 12).candidates == ["upper"])
    #expect(interp().complete(line: "'abc'[1:].ap", cursor: 12).candidates.isEmpty)
    #expect(interp().complete(line: "{\"a\": [1]}[\"a\"].ap", cursor: 19).candidates.isEmpty)
    let i = interp()
    i.run("rows = [[1], {\"m\": \"t\"}]", name: "[2]")
    #expect(i.complete(line: "rows[0].ap", cursor: 10).candidates == ["append"])
    #expect(i.complete(line: "rows[1][\"m\"].st", cursor: 15).candidates.contains("strip"))
    #expect(i.complete(line: "train(1).ap", cursor: 11).candidates.isEmpty)
    #expect(i.complete(line: "rows[9].ap", cursor: 10).candidates.isEmpty)
    #expect(i.complete(line: "(1).", cursor: 4).candidates.isEmpty)
  }

  @Test func keywordArguments() {
    let c = interp().complete(line: "train(10, l", cursor: 11)
    #expect(c.candidates.first == "lr=")
    #expect(interp().complete(line: "sorted(xs, re", cursor: 13).candidates.contains("reverse="))
  }

  @Test func pathsInStrings() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-compl-\(getpid())")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("eval.jsonl").path, contents: Data())
    defer { try? FileManager.default.removeItem(at: dir) }
    let line = "read_text(\"\(dir.path)/e"
    let c = interp().complete(line: line, cursor: line.count)
    #expect(c.start == 11)
    #expect(c.candidates == ["\(dir.path)/eval.jsonl"])
    let line2 = "read_text(\"\(dir.path)/s"
    #expect(interp().complete(line: line2, cursor: line2.count).candidates == ["\(dir.path)/sub/"])
  }
}
