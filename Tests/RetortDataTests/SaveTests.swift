import Foundation
import Testing
@testable import RetortData

@Suite struct SaveTests {
  @Test func jsonlRoundTripKeepsFieldsAndOrder() throws {
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("eval_set.json", Fixture.belleEval))
    try ds.save(dir.path + "/out.jsonl")
    let text = dir.read("out.jsonl")
    #expect(text.hasPrefix("{\"question\": \"请你写出一个可以生成五个不同随机数的 Python 程序。\", \"class\": \"code\", \"std_answer\": \"import random\\nprint("))
    #expect(text.contains("\"closed\u{00A0}qa\""))
    let back = try Dataset.load(dir.path + "/out.jsonl")
    #expect(back.records == ds.records)
    #expect(back.fingerprint == ds.fingerprint)
    #expect(back.schema == .belleEval)
  }

  @Test func jsonArrayAndSeedTaskRoundTrip() throws {
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("zh.json", Fixture.zhSeedTasks))
    try ds.save(dir.path + "/out.json")
    #expect(dir.read("out.json").hasPrefix("[\n  {\"id\": \"seed_task_8\""))
    let back = try Dataset.load(dir.path + "/out.json")
    #expect(back.loadReport?.format == "json")
    #expect(back.records.map(\.fields) == ds.records.map(\.fields))
    try Dataset([]).save(dir.path + "/empty.json")
    #expect(dir.read("empty.json") == "[]\n")
  }

  @Test func canonicalSave() throws {
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("e.json", Fixture.belleEval)).take(1)
    try ds.save(dir.path + "/c.jsonl", canonical: true)
    #expect(dir.read("c.jsonl").hasPrefix("{\"instruction\": \"请你写出"))
    let back = try Dataset.load(dir.path + "/c.jsonl")
    #expect(back.records[0].fields.keys == ["instruction", "output", "category"])
    let sg = try Dataset.load(dir.write("s.jsonl", Fixture.sharegpt)).take(1)
    try sg.save(dir.path + "/s2.jsonl", canonical: true)
    #expect(dir.read("s2.jsonl").contains("{\"role\": \"user\", \"content\": \"你好\"}"))
  }

  @Test func nonFiniteNumbersAreRefusedAndFingerprinted() throws {
    let dir = TempDir()
    let inf = Dataset.from([["instruction": "a", "x": 1], ["instruction": "b", "x": .object(["y": .double(-.infinity)])]])
    #expect(throws: DataError.self) { try inf.save(dir.path + "/inf.jsonl") }
    do { try inf.save(dir.path + "/inf.jsonl") } catch { #expect("\(error)".contains("record 1, field 'x' is -inf")) }
    // Infinity, NaN and null are different content, so their fingerprints differ.
    let prints = [JSONValue.double(.infinity), .double(.nan), .null].map { Dataset.from([["instruction": "a", "x": $0]]).fingerprint }
    #expect(Set(prints).count == 3)
  }

  @Test func csvQuoting() throws {
    let dir = TempDir()
    let ds = Dataset.from([["instruction": "a, b", "output": "say \"hi\"\nnow"], ["instruction": "中文", "n": 3]])
    try ds.save(dir.path + "/t.csv")
    #expect(dir.read("t.csv") == "instruction,output,n\r\n\"a, b\",\"say \"\"hi\"\"\nnow\",\r\n中文,,3\r\n")
    // It loads back: every cell a string, a missing value an empty one.
    let back = try Dataset.load(dir.path + "/t.csv")
    #expect(back.records.map { $0.fields } == [["instruction": "a, b", "output": "say \"hi\"\nnow", "n": ""],
                                                 ["instruction": "中文", "output": "", "n": "3"]])
    #expect(back.loadReport?.format == "csv" && back.schema == .alpaca)
    // CRLF, and "," or "\"" before a combining mark (one Character each), are quoted too.
    let tricky = Dataset.from([["instruction": "a\r\nb", "output": "q\"\u{301}x"], ["instruction": "a,\u{301}b", "output": "c"]])
    try tricky.save(dir.path + "/t2.csv")
    #expect(try Dataset.load(dir.path + "/t2.csv").records.map { $0.fields } == tricky.records.map { $0.fields })
  }

  @Test func csvErrorsNameLineAndColumn() throws {
    let dir = TempDir()
    func failure(_ text: String, _ options: LoadOptions = LoadOptions()) -> String {
      do { _ = try Dataset.load(dir.write("e.csv", text), options: options); return "loaded" } catch { return "\(error)" }
    }
    #expect(failure("a,b\n1,\"x\n").hasSuffix("e.csv:2:3: unterminated quoted cell (a '\"' opens it and none closes it)"))
    #expect(failure("a,b\n1,2,3\n").hasSuffix("e.csv:2:1: the row has 3 cells; the header has 2"))
    #expect(failure("a,a\n1,2\n").hasSuffix("e.csv:1:1: the header row names 'a' twice"))
    #expect(failure("a,b\nx\"y,2\n").hasSuffix("e.csv:2:2: a '\"' inside an unquoted cell (quote the whole cell and double the quote)"))
    #expect(failure("") == "loaded", "an empty file is no records")
    #expect(failure("\u{FEFF}\n\n").hasSuffix("the file is empty; expected a CSV header row naming the fields"))
    #expect(failure("a,b\n1\n").hasSuffix("e.csv:2:1: the row has 1 cell; the header has 2"))
    var skip = LoadOptions()
    skip.onError = .skip
    let d = try Dataset.load(dir.write("s.csv", "\u{FEFF}instruction, output\r\nhi,there\r\nbad\r\n\"x\"y,z\r\n\r\nok,fine\r\n"), options: skip)
    #expect(d.count == 2 && d.loadReport?.skipped.map(\.line) == [3, 4], "\(d.loadReport?.skipped ?? [])")
    #expect(d.records[1].fields == ["instruction": "ok", "output": "fine"] && d.schema == .alpaca)
    // Other extensions are not taken for JSON Lines.
    do { try d.save(dir.path + "/x.parquet"); Issue.record("saved a .parquet") } catch {
      #expect("\(error)".contains("cannot tell the layout from the name"))
    }
    try d.save(dir.path + "/plain")
    #expect(dir.read("plain") == "{\"instruction\": \"hi\", \"output\": \"there\"}\n{\"instruction\": \"ok\", \"output\": \"fine\"}\n")
  }

  @Test func atomicSaveLeavesNoTemporaryFiles() throws {
    let dir = TempDir()
    try Dataset.from([["instruction": "x"]]).save(dir.path + "/a.jsonl")
    try Dataset.from([["instruction": "y"]]).save(dir.path + "/a.jsonl")
    #expect(dir.read("a.jsonl") == "{\"instruction\": \"y\"}\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.jsonl"])
    // Missing parent directories are created, as `mkdir -p` would.
    try Dataset.from([["instruction": "z"]]).save(dir.path + "/new/sub/x.jsonl")
    #expect(dir.read("new/sub/x.jsonl") == "{\"instruction\": \"z\"}\n")
    var threw = false
    do { try Dataset([]).save(dir.path + "/a.jsonl/x.jsonl") } catch {
      threw = true
      #expect("\(error)" == "\(dir.path)/a.jsonl/x.jsonl: cannot save: '\(dir.path)/a.jsonl' is not a directory")
    }
    #expect(threw)
    do { try Dataset([]).save(dir.path) } catch {
      #expect("\(error)" == "\(dir.path): is a directory, not a data file")
    }
  }
}

@Suite struct EmptySaveTests {
  @Test func anEmptyDatasetSavesAndLoadsBackInEveryFormat() throws {
    let dir = TempDir()
    for name in ["e.jsonl", "e.json", "e.csv"] {
      let path = dir.path + "/" + name
      try Dataset([]).save(path)
      #expect(try Dataset.load(path).count == 0, "\(name)")
    }
  }

  @Test func aLargeSaveStreamsReportsProgressAndStopsCleanly() throws {
    // 5000 records of ~400 bytes: written a megabyte at a time, every record in all three layouts.
    let dir = TempDir()
    let ds = Dataset((0..<5000).map { i in
      Record(JSONObject([("instruction", .string("task \(i) " + String(repeating: "x", count: 400))), ("output", .string("a,\"b\"\n\(i)"))]))
    })
    for name in ["big.jsonl", "big.json", "big.csv"] {
      var seen: [Int] = []
      try ds.save(dir.path + "/" + name, progress: { seen.append($0) })
      #expect(seen == [1023, 2047, 3071, 4095, 5000], "\(name): \(seen)")
      let back = try Dataset.load(dir.path + "/" + name)
      #expect(back.count == 5000 && back.records.map(\.output) == ds.records.map(\.output), "\(name)")
    }
    // Stopped part-way: an error, and the file saved before is still whole; no temporary file is left.
    let before = dir.read("big.jsonl")
    var polls = 0
    #expect(throws: DataError.self) {
      try Dataset(Array(ds.records.reversed())).save(dir.path + "/big.jsonl", isCancelled: { polls += 1; return polls == 3 })
    }
    #expect(dir.read("big.jsonl") == before)
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
    #expect(left.isEmpty, "\(left)")
    // A non-finite number part-way is named, and leaves no file behind either.
    var bad = ds.records
    bad[4321] = Record(JSONObject([("instruction", .string("x")), ("score", .double(.nan))]))
    #expect(throws: DataError.self) { try Dataset(bad).save(dir.path + "/bad.jsonl") }
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/bad.jsonl"))
  }
}
