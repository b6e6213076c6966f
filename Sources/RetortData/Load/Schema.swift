// Recognises the common instruction-data schemas from a record's keys and
// maps them onto the canonical fields (see `Record`).

/// A recognised data layout.
public enum Schema: String, Sendable, CaseIterable {
  /// `instruction`, `input`, `output` (Stanford Alpaca, BELLE training data).
  case alpaca
  /// `question` -> instruction, `std_answer` -> output, `class` -> category.
  case belleEval = "belle_eval"
  /// `instruction` + `instances: [{input, output}]`, one record per instance.
  case seedTasks = "seed_tasks"
  /// Dolly: `context` -> input, `response` -> output, `category`.
  case dolly
  /// ShareGPT / BELLE multi-turn: `conversations: [{from, value}]`.
  case sharegpt
  /// OpenAI chat: `messages: [{role, content}]`.
  case openaiChat = "openai_chat"
  /// Question lists such as Vicuna's: `question_id`, `text` -> instruction, `category`.
  case questionList = "question_list"
  /// Fields mapped by hand with `fields:`.
  case manual
  /// Anything else: fields as they are (`class` still maps to category).
  case generic

  /// The schema of a record with these fields.
  public static func detect(_ object: JSONObject) -> Schema {
    let has = { (k: String) in object[k] != nil }
    if object["conversations"]?.arrayValue != nil { return .sharegpt }
    if object["messages"]?.arrayValue != nil { return .openaiChat }
    if has("instruction") && object["instances"]?.arrayValue != nil { return .seedTasks }
    if has("question") && (has("std_answer") || has("class")) { return .belleEval }
    if has("instruction") && (has("context") || has("response")) { return .dolly }
    if has("instruction") { return .alpaca }
    if has("text") && (has("question_id") || has("category")) { return .questionList }
    return .generic
  }

  /// Canonical name -> source field for this schema (before `class` fallback).
  var baseAliases: [String: String] {
    switch self {
    case .belleEval: return ["instruction": "question", "output": "std_answer", "category": "class"]
    case .dolly: return ["input": "context", "output": "response"]
    case .openaiChat: return ["conversations": "messages"]
    case .questionList: return ["instruction": "text"]
    default: return [:]
    }
  }

  /// The aliases for a record of this schema with `object`'s keys.
  func aliases(for object: JSONObject, manual: [String: String]?) -> [String: String] {
    var a = baseAliases
    if let manual { for (k, v) in manual { a[k] = v } }
    if object["category"] == nil && a["category"] == nil && object["class"] != nil { a["category"] = "class" }
    // A lone `question` is the instruction, as in BELLE's eval set.
    if object["instruction"] == nil && a["instruction"] == nil && object["question"] != nil { a["instruction"] = "question" }
    return a
  }

  /// Converts one parsed object into its records (seed tasks expand to one
  /// per instance; an empty `instances` list gives one record with empty
  /// input and output so the task is not lost).
  func records(from object: JSONObject, aliases: [String: String]) -> [Record] {
    guard self == .seedTasks, let instances = object["instances"]?.arrayValue else {
      return [Record(object, aliases: aliases)]
    }
    let list = instances.isEmpty ? [JSONValue.object(["input": "", "output": ""])] : instances
    var out: [Record] = []
    out.reserveCapacity(list.count)
    for inst in list {
      var fields = JSONObject()
      for (k, v) in object {
        if k == "instances" {
          let o = inst.objectValue ?? JSONObject()
          fields["input"] = o["input"] ?? ""
          fields["output"] = o["output"] ?? ""
        } else {
          fields[k] = v
        }
      }
      out.append(Record(fields, aliases: aliases))
    }
    return out
  }
}
