// What a load says beyond its records: integers beyond 64 bits (read as
// doubles, losing digits), text fields holding other values, and seed tasks
// that gave one record per instance.

import Foundation
import Testing
@testable import RetortData

@Suite struct InexactIntegerTests {
  @Test func jsonLinesCountAndLocateThem() throws {
    let dir = TempDir()
    let p = dir.write("ids.jsonl", """
      {"instruction": "a", "output": "b", "id": 12}
      {"instruction": "c", "output": "d", "id": 123456789012345678901, "n": [99999999999999999999]}
      {"instruction": "e", "output": "f", "id": -9223372036854775808}

      """)
    for threads in [1, 2] {
      var o = LoadOptions()
      o.threads = threads
      o.blockBytes = 16
      let report = try #require(try Dataset.load(p, options: o).loadReport)
      #expect(report.inexactIntegers == 2 && report.inexactIntegerAt == "2:72", "\(report)")
      #expect(report.inexactIntegersNote == "2 integers in \(p) are too large for 64 bits and were read as floats, losing digits (at 2:72); quote them in the file to keep every digit")
    }
  }

  @Test func jsonArraysToo() throws {
    let dir = TempDir()
    let p = dir.write("ids.json", "[{\"instruction\": \"a\", \"output\": \"b\", \"id\": 18446744073709551616}]")
    let report = try #require(try Dataset.load(p).loadReport)
    #expect(report.inexactIntegers == 1 && report.inexactIntegerAt == "1:44", "\(report)")
    #expect(report.description.hasSuffix("; 1 integer beyond 64 bits read as floats"), "\(report)")
    let exact = try #require(try Dataset.load(dir.write("ok.json", "[{\"instruction\": \"a\", \"output\": \"b\", \"id\": 1.5e30}]")).loadReport)
    #expect(exact.inexactIntegers == 0 && exact.inexactIntegersNote == nil)
  }
}

@Suite struct NonTextFieldTests {
  @Test func numbersListsAndObjectsInTextFieldsAreCounted() {
    let ds = Dataset([
      Record(JSONObject([("instruction", .string("a")), ("output", .int(12))])),
      Record(JSONObject([("instruction", .string("b")), ("output", .null)])),
      Record(JSONObject([("instruction", .array([.int(1)])), ("input", .string("")), ("output", .string("c"))])),
      Record(JSONObject([("instruction", .string("d")), ("output", .bool(true))])),
    ])
    let found = ds.nonTextFields.map { "\($0.canonical) \($0.count) \($0.first)" }
    #expect(found == ["instruction 1 2", "output 2 0"], "\(found)")
    #expect(Dataset([Record(JSONObject([("instruction", .string("a"))]))]).nonTextFields.isEmpty)
  }
}

@Suite struct MultipartContentTests {
  @Test func openAIContentPartsGiveTheirTextAndCountTheRest() throws {
    // A list of parts was read as its JSON text ("[{\"type\": ...") without a word.
    let dir = TempDir()
    let p = dir.write("mm.jsonl", """
      {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {"url": "x.png"}}]}, {"role": "assistant", "content": "A cat."}]}
      {"messages": [{"role": "user", "content": "Say hi"}, {"role": "assistant", "content": [{"type": "text", "text": "hi"}, {"type": "text", "text": "there"}]}]}
      {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}, {"type": "image_url"}]}, {"role": "assistant", "content": "ok"}]}

      """)
    let ds = try Dataset.load(p)
    #expect(ds.records.map(\.instruction) == ["What is it?", "Say hi", ""])
    #expect(ds.records.map(\.output) == ["A cat.", "hi\nthere", "ok"])
    let parts = try #require(ds.nonTextParts)
    #expect(parts.records == 2 && parts.parts == 3 && parts.first == 0 && parts.type == "image_url", "\(parts)")
    // A list that is not of typed parts stays JSON text (and the text-field note covers it).
    let plain = Turn.contentText(.array([.int(1), .int(2)]))
    #expect(plain.text == JSONValue.array([.int(1), .int(2)]).text && plain.otherParts == 0)
    #expect(Dataset([Record(JSONObject([("instruction", .string("a"))]))]).nonTextParts == nil)
  }
}

@Suite struct SeedTaskFlatteningTests {
  @Test func seedTasksWithSeveralInstancesAreSaidToGiveMoreRecords() throws {
    let dir = TempDir()
    let p = dir.write("seeds.jsonl", """
      {"id": "seed_task_0", "name": "a", "instruction": "Suggest", "instances": [{"input": "a", "output": "b"}, {"input": "c", "output": "d"}], "is_classification": false}
      {"id": "seed_task_1", "name": "b", "instruction": "Do", "instances": [{"input": "", "output": "e"}], "is_classification": false}

      """)
    let report = try #require(try Dataset.load(p).loadReport)
    #expect(report.objects == 2 && report.records == 3)
    #expect(report.flatteningNote == "2 seed tasks in \(p) gave 3 records, one per instance")
    let one = dir.write("one.jsonl", "{\"id\": \"t\", \"name\": \"b\", \"instruction\": \"Do\", \"instances\": [{\"input\": \"\", \"output\": \"e\"}]}\n")
    #expect(try Dataset.load(one).loadReport?.flatteningNote == nil)
  }
}
