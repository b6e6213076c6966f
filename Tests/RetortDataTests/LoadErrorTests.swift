import Testing
@testable import RetortData

/// Every load error message, exactly.
@Suite struct LoadErrorTests {
  func message(_ body: () throws -> Any) -> String {
    do { _ = try body(); return "no error" } catch { return "\(error)" }
  }

  @Test func fileProblems() {
    let dir = TempDir()
    #expect(message { try Dataset.load(dir.path + "/missing.jsonl") } == "\(dir.path)/missing.jsonl: no such file")
    #expect(message { try Dataset.load(dir.path) } == "\(dir.path): is a directory, not a data file")
    // An empty file is what saving an empty dataset writes: no records, and a note says so.
    let empty = dir.write("empty.jsonl", "")
    let none = try? Dataset.load(empty)
    #expect(none?.count == 0 && none?.loadReport?.emptyFileNote == "\(empty) is empty: no records")
    let blank = dir.write("blank.jsonl", " \n\n  \n")
    #expect((try? Dataset.load(blank))?.loadReport?.emptyFile == true)
  }

  @Test func malformedLineNamesFileLineColumn() {
    let dir = TempDir()
    let p = dir.write("eval.jsonl", "{\"question\": \"a\", \"class\": \"x\"}\n{\"question\": \"中文\" \"class\": \"x\"}\n")
    #expect(message { try Dataset.load(p) } == "\(p):2:19: expected ',' or '}'")
    let q = dir.write("q.jsonl", "{\"a\": [1, 2}\n")
    #expect(message { try Dataset.load(q) } == "\(q):1:12: expected ',' or ']'")
    let r = dir.write("r.jsonl", "{\"a\": \"open\n")
    #expect(message { try Dataset.load(r) } == "\(r):1:7: unterminated string")
    let s = dir.write("s.jsonl", "{\"a\": tru}\n")
    #expect(message { try Dataset.load(s) } == "\(s):1:7: expected a JSON value, found 'tru'")
    let t = dir.write("t.jsonl", "{\"a\": 1} x\n")
    #expect(message { try Dataset.load(t) } == "\(t):1:10: expected end of line after the record")
    let u = dir.write("u.jsonl", "{\"a\": 1}\n[1, 2]\n")
    #expect(message { try Dataset.load(u) } == "\(u):2:1: expected a JSON object on each line, found an array")
    let v = dir.write("v.jsonl", "{\"a\": \"\\x\"}\n")
    #expect(message { try Dataset.load(v) } == "\(v):1:8: invalid escape '\\x' in string")
    let w = dir.write("w.jsonl", "{\"a\": 01}\n")
    #expect(message { try Dataset.load(w) } == "\(w):1:8: leading zeros are not allowed in numbers")
    let x = dir.write("x.txt", "hello\n")
    #expect(message { try Dataset.load(x) } == "\(x):1:1: expected '[' (a JSON array) or '{' (JSON Lines records), found 'h' (a CSV file needs a .csv name or format=\"csv\")")
  }

  @Test func arrayErrors() {
    let dir = TempDir()
    let a = dir.write("a.json", "[\n  {\"a\": 1},\n  {\"a\": 2}\n")
    #expect(message { try Dataset.load(a) } == "\(a):4:1: expected ',' or ']' (the array is not closed)")
    let b = dir.write("b.json", "[\n  {\"a\": 1}\n  {\"a\": 2}\n]")
    #expect(message { try Dataset.load(b) } == "\(b):3:3: expected ',' or ']'")
    let c = dir.write("c.json", "[{\"a\": 1}, \"text\"]")
    #expect(message { try Dataset.load(c) } == "\(c):1:12: expected a JSON object for each array element, found a string")
    let d = dir.write("d.json", "[{\"a\": 1}] []")
    #expect(message { try Dataset.load(d) } == "\(d):1:12: unexpected data after the closing ']'")
  }

  @Test func invalidUTF8() {
    let dir = TempDir()
    let p = dir.write("bad.jsonl", bytes: Array("{\"a\": \"ok\"}\n{\"a\": \"中".utf8) + [0xFF, 0x22, 0x7D, 0x0A])
    #expect(message { try Dataset.load(p) } == "\(p):2:9: invalid UTF-8 (byte 0xFF)")
    let q = dir.write("utf16.jsonl", bytes: [0xFF, 0xFE, 0x7B, 0x00])
    #expect(message { try Dataset.load(q) } == "\(q):1:1: the file is UTF-16 encoded; expected UTF-8")
  }

  @Test func skipReportsEachBadLine() throws {
    let dir = TempDir()
    var lines = (1...60).map { "{\"question\": \"q\($0)\", \"class\": \"math\"}" }
    lines[56] = "{\"question\": \"q57\" \"class\": \"math\"}"
    lines[9] = "not json"
    lines[29] = "[1]"
    let p = dir.write("eval.jsonl", lines.joined(separator: "\n") + "\n")
    #expect(message { try Dataset.load(p) } == "\(p):10:1: expected a JSON value, found 'not'")
    let ds = try Dataset.load(p, options: LoadOptions(onError: .skip))
    #expect(ds.count == 57)
    let report = try #require(ds.loadReport)
    #expect(report.skipped.map(\.line) == [10, 30, 57])
    #expect(report.skipped[2] == SkippedLine(line: 57, column: 20, message: "expected ',' or '}'"))
    #expect(report.description == "\(p): 57 records (jsonl, belle_eval); skipped 3 lines: 10:1: expected a JSON value, found 'not'; 30:1: expected a JSON object on each line, found an array; 57:20: expected ',' or '}'")
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let dir = TempDir()
    let p = dir.write("deep.jsonl", "{\"a\": " + String(repeating: "[", count: 5000) + "\n")
    #expect(message { try Dataset.load(p) }.hasSuffix("nesting deeper than 512 levels"))
  }
}

@Suite struct LoadOptionStringTests {
  @Test func stringArgumentsAreValidated() throws {
    #expect(try LoadOptions(format: "jsonl", onError: "skip").onError == .skip)
    do { _ = try LoadOptions(format: "xml") } catch {
      #expect("\(error)" == "load: format must be \"auto\", \"json\", \"jsonl\" or \"csv\", got \"xml\"")
    }
    do { _ = try LoadOptions(format: "auto", onError: "ignore") } catch {
      #expect("\(error)" == "load: on_error must be \"fail\" or \"skip\", got \"ignore\"")
    }
  }
}
