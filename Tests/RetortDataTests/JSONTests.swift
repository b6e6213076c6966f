import Testing
@testable import RetortData

@Suite struct JSONTests {
  func parse(_ text: String) throws -> JSONValue {
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBufferPointer { buf in
      var p = JSONParser(bytes: UnsafeBufferPointer(buf))
      return try p.parseValue()
    }
  }

  @Test func valuesAndEscapes() throws {
    #expect(try parse("[1, -2.5, 1e3, true, false, null, \"x\"]") ==
            .array([.int(1), .double(-2.5), .double(1000), .bool(true), .bool(false), .null, .string("x")]))
    #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\u4e2d\ud83d\ude00""#) == .string("a\"b\\c/d\n\té中😀"))
    #expect(try parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    #expect(try parse("9223372036854775807") == .int(Int.max))
    #expect(try parse("9223372036854775808") == .double(9223372036854775808))
    #expect(try parse("{\"b\": 1, \"a\": 2, \"b\": 3}") == .object(JSONObject([("b", 3), ("a", 2)])))
  }

  @Test func objectsKeepKeyOrder() throws {
    let v = try parse("{\"z\": 1, \"a\": {\"y\": [], \"b\": {}}}")
    #expect(v.objectValue?.keys == ["z", "a"])
    #expect(JSONWriter.string(v) == "{\"z\": 1, \"a\": {\"y\": [], \"b\": {}}}")
  }

  @Test func writerRoundTrips() throws {
    let tricky: JSONValue = .object(JSONObject([
      ("s", .string("quote\" back\\ nl\n tab\t bell\u{07} 中文 😀")), ("d", .double(0.1)), ("w", .double(2)),
      ("n", .null), ("big", .int(-9_007_199_254_740_993)), ("a", .array([.bool(true), .string("")])),
    ]))
    let text = JSONWriter.string(tricky)
    #expect(text.contains("\\u0007") && text.contains("中文"))
    #expect(try parse(text) == tricky)
    #expect(JSONWriter.string(.double(.nan)) == "null")
  }

  @Test func repeatedKeyListsAreReusedCorrectly() throws {
    // Records repeat, shorten, extend, reorder and duplicate the previous keys.
    let lines = [
      #"{"a": 1, "b": 2}"#, #"{"a": 3, "b": 4}"#, #"{"a": 5}"#, #"{"a": 6, "b": 7, "c": 8}"#,
      #"{"b": 9, "a": 10}"#, #"{"b": 1, "a": 2, "b": 3}"#, #"{"a": {"a": 1, "b": 2}, "b": []}"#, #"{}"#,
      #"{"a": 1, "b": 2}"#,
    ]
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("k.jsonl", lines.joined(separator: "\n")))
    let got = ds.records.map { JSONWriter.string(.object($0.fields)) }
    #expect(got == [
      #"{"a": 1, "b": 2}"#, #"{"a": 3, "b": 4}"#, #"{"a": 5}"#, #"{"a": 6, "b": 7, "c": 8}"#,
      #"{"b": 9, "a": 10}"#, #"{"b": 3, "a": 2}"#, #"{"a": {"a": 1, "b": 2}, "b": []}"#, #"{}"#,
      #"{"a": 1, "b": 2}"#,
    ])
  }

  @Test func objectEditing() {
    var o: JSONObject = ["a": 1, "b": 2, "c": 3]
    o.rename("b", to: "c")
    #expect(o.keys == ["a", "c"] && o["c"] == 2)
    o["a"] = nil
    o["d"] = "x"
    #expect(o.keys == ["c", "d"])
    let renamed = o.rename("zz", to: "y")
    #expect(!renamed)
  }
}
