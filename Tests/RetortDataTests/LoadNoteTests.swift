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
