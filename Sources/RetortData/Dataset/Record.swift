// One record of a dataset. It keeps every original field, in file order,
// and maps the canonical names (instruction, input, output, category,
// conversations) onto whichever fields hold them in its source schema, so
// both `r["std_answer"]` and `r["output"]` work on BELLE's eval set.

/// A record: ordered original fields plus canonical-name aliases.
public struct Record: Sendable, Hashable {
  /// The canonical field names, in the order they are shown and saved.
  public static let canonicalNames = ["instruction", "input", "output", "category", "conversations"]

  /// All fields, in their original order and with their original names.
  public var fields: JSONObject
  /// Canonical name -> the field that holds it (e.g. "output" -> "std_answer").
  /// A field that itself has the canonical name always wins over an alias.
  public var aliases: [String: String]

  /// A record from fields and aliases.
  public init(_ fields: JSONObject, aliases: [String: String] = [:]) {
    self.fields = fields
    self.aliases = aliases
  }

  /// The field that holds canonical name `name`: the field of that name when
  /// present, else the one it is an alias of (BELLE's `class` for `category`).
  public func fieldName(for name: String) -> String {
    fields[name] != nil ? name : (aliases[name] ?? name)
  }

  /// The value of a field by original or canonical name; nil if absent.
  /// For multi-turn records without an instruction/output field, `instruction`
  /// is the first user turn and `output` the first assistant turn after it.
  public subscript(name: String) -> JSONValue? {
    if let v = fields[name] { return v }
    if let source = aliases[name], let v = fields[source] { return v }
    switch name {
    case "instruction", "output":
      guard let turns = conversations else { return nil }
      guard let u = turns.firstIndex(where: { $0.role == "user" }) else { return nil }
      if name == "instruction" { return .string(turns[u].content) }
      return turns[(u + 1)...].first(where: { $0.role == "assistant" }).map { .string($0.content) }
    default:
      return nil
    }
  }

  /// True when `name` resolves to a value (original or canonical).
  public func has(_ name: String) -> Bool { self[name] != nil }

  /// The field as text ("" when absent or null; numbers and lists as JSON).
  public func text(_ name: String) -> String { self[name]?.text ?? "" }

  /// The instruction (or question, or first user turn).
  public var instruction: String { text("instruction") }
  /// The input / context ("" when none).
  public var input: String { text("input") }
  /// The output / reference answer ("" when none).
  public var output: String { text("output") }

  /// The category label as written in the file, or nil.
  public var category: String? {
    guard let v = self["category"], v != .null else { return nil }
    return v.text
  }

  /// The normalised category label used for comparison (see `CategoryLabel`).
  public var categoryKey: String? { category.map(CategoryLabel.normalize) }

  /// The turns of a multi-turn record (ShareGPT or OpenAI messages), or nil.
  public var conversations: [Turn]? {
    conversationValues?.compactMap { $0.objectValue.flatMap(Turn.init) }
  }

  /// The turns as the file holds them, or nil.
  var conversationValues: [JSONValue]? {
    (fields["conversations"] ?? aliases["conversations"].flatMap({ fields[$0] }))?.arrayValue
  }

  /// Names a caller can use: original field names, then canonical names that
  /// resolve through an alias.
  public var names: [String] {
    var out = fields.keys
    for c in Record.canonicalNames where fields[c] == nil && aliases[c] != nil { out.append(c) }
    return out
  }

  /// The record with canonical names materialised: instruction, input,
  /// output, category (and conversations as {role, content}) first, then the
  /// remaining fields that are not alias sources. Used by `save(canonical:)`.
  public var canonicalObject: JSONObject {
    var out = JSONObject()
    var used = Set<String>()
    for c in Record.canonicalNames {
      if c == "conversations" {
        if let turns = conversations {
          out[c] = .array(turns.map { .object($0.object) })
          used.insert(aliases[c] ?? c)
        }
        continue
      }
      if let v = self[c] {
        out[c] = v
        used.insert(fieldName(for: c))
      }
    }
    for (k, v) in fields where !used.contains(k) { out[k] = v }
    return out
  }
}

extension Record: CustomStringConvertible {
  /// The record as compact JSON of its original fields.
  public var description: String { JSONWriter.string(.object(fields)) }
}
