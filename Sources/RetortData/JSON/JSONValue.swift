// JSON values as loaded from data files. Integers that fit in `Int` stay
// integers (ids round-trip exactly); objects keep their keys in file order.

/// A JSON value.
public enum JSONValue: Sendable, Hashable {
  /// `null`.
  case null
  /// `true` / `false`.
  case bool(Bool)
  /// A number without fraction or exponent that fits in `Int`.
  case int(Int)
  /// Any other number.
  case double(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, keys in order.
  case object(JSONObject)

  /// The string payload, or nil for any other kind.
  /// An int or a double as a Double (nil for other values; booleans are not numbers here).
  public var numberValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The object payload, or nil for any other kind.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The array payload, or nil for any other kind.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The value as display text: strings as they are, null as "", anything
  /// else as compact JSON (`42`, `true`, `[1,2]`).
  public var text: String {
    switch self {
    case .string(let s): return s
    case .null: return ""
    default: return JSONWriter.string(self)
    }
  }

  /// The JSON kind in words, for error messages ("a string", "an object").
  public var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .int, .double: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
  /// A value from a literal.
  public init(stringLiteral value: String) { self = .string(value) }
  /// A value from a literal.
  public init(integerLiteral value: Int) { self = .int(value) }
  /// A value from a literal.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// A value from a literal.
  public init(floatLiteral value: Double) { self = .double(value) }
  /// A value from a literal.
  public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: CustomStringConvertible {
  /// Compact JSON text.
  public var description: String { JSONWriter.string(self) }
}
