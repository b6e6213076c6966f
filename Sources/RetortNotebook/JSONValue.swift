import RetortFiles

/// A minimal JSON document writer (keys keep the order given).
enum JSONValue {
  case string(String)
  case int(Int)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Pretty JSON with one-space indentation; empty containers stay on one line.
  func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent + 1)
    let close = String(repeating: " ", count: indent)
    switch self {
    case let .string(s): return JSONValue.quote(s)
    case let .int(n): return String(n)
    case let .array(items):
      if items.isEmpty { return "[]" }
      return "[\n" + items.map { pad + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
    case let .object(fields):
      if fields.isEmpty { return "{}" }
      return "{\n" + fields.map { pad + JSONValue.quote($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
        .joined(separator: ",\n") + "\n" + close + "}"
    }
  }

  /// A JSON string literal: quotes, backslashes and control characters escaped.
  static func quote(_ s: String) -> String { s.jsonQuoted }

}
