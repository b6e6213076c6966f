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

  @Test func csvQuoting() throws {
    let dir = TempDir()
    let ds = Dataset.from([["instruction": "a, b", "output": "say \"hi\"\nnow"], ["instruction": "中文", "n": 3]])
    try ds.save(dir.path + "/t.csv")
    #expect(dir.read("t.csv") == "instruction,output,n\r\n\"a, b\",\"say \"\"hi\"\"\nnow\",\r\n中文,,3\r\n")
  }

  @Test func atomicSaveLeavesNoTemporaryFiles() throws {
    let dir = TempDir()
    try Dataset.from([["instruction": "x"]]).save(dir.path + "/a.jsonl")
    try Dataset.from([["instruction": "y"]]).save(dir.path + "/a.jsonl")
    #expect(dir.read("a.jsonl") == "{\"instruction\": \"y\"}\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.jsonl"])
    do { try Dataset([]).save(dir.path + "/no/such/dir/x.jsonl") } catch {
      #expect("\(error)" == "\(dir.path)/no/such/dir/x.jsonl: cannot save: directory '\(dir.path)/no/such/dir' does not exist")
    }
    do { try Dataset([]).save(dir.path) } catch {
      #expect("\(error)" == "\(dir.path): is a directory, not a data file")
    }
  }
}
