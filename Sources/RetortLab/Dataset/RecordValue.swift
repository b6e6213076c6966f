// A record in the language: `r.std_answer`, `r["instruction"]`, `for k in r`.

import RetortData
import RetortLang

/// One dataset record as a language value. Fields (original and canonical
/// names) are attributes and string indexes.
final class RecordValue: HostObject {
  static let type = TypeInfo(
    "Record",
    doc: "One instruction record: r.instruction, r.std_answer, r[\"class\"]; canonical names instruction, input, output, category, conversations.") { t in
    t.method("keys", [], "Field names (original, then canonical names reached through aliases).") { (r: RecordValue, _: inout Args) in
      .list(r.record.names.map { .string($0) })
    }
    t.method("get", [.required("name"), .optional("default")], "The field's value, or default when absent.") {
      (r: RecordValue, a: inout Args) in
      let name = try a.string("name")
      return r.record[name]?.value ?? (a.value("default") ?? .none)
    }
    t.method("to_map", [], "The fields as loaded, as a map (a seed task with several instances is one record per instance, with input and output in place of instances).") { (r: RecordValue, _: inout Args) in
      JSONValue.object(r.record.fields).value
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let record: Record

  init(_ record: Record) { self.record = record }

  func render(_ context: RenderContext) throws -> String {
    Display.render(JSONValue.object(record.fields).value, context)
  }

  /// Inside a list: the record's map, cut to one readable line.
  var brief: String { TextWidth.truncate(Display.repr(JSONValue.object(record.fields).value, depth: 1), to: 120) }

  func dynamicAttribute(_ name: String) throws -> Value? {
    if name == "conversations", let turns = record.conversations {
      return .list(turns.map { .map([("role", .string($0.role)), ("content", .string($0.content))]) })
    }
    if let v = record[name] { return v.value }
    if Record.canonicalNames.contains(name) { return name == "category" ? Value.none : .string("") }
    throw ScriptError("record has no field '\(name)'; fields are: \(record.names.joined(separator: ", "))")
  }

  var dynamicAttributeNames: [String] { record.names }

  func getIndex(_ index: [IndexValue]) throws -> Value? {
    guard index.count == 1, case .value(.string(let name)) = index[0] else {
      throw ScriptError("a record is indexed by a field name, e.g. r[\"instruction\"]")
    }
    return try dynamicAttribute(name)
  }

  func elements() throws -> [Value]? { record.names.map { .string($0) } }

  var length: Int? { record.fields.count }
}
